"""An event's team: members with roles, invitations by e-mail, role changes (docs/roles.md)."""
