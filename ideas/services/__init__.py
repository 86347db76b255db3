"""Every change to breakout groups, ideas, working groups and backlogs, as typed functions.

Views, API operations and commands only translate their input and call these. Each takes
`now=`, checks who acts, changes what it must in one transaction and writes an audit entry.
"""

from ideas.services.backlog import ItemChanges, create_backlog_item, sort_into_working_group, update_backlog_item
from ideas.services.capture import (
    IdeaChanges,
    IdeaDraft,
    add_idea,
    add_idea_at_table,
    edit_idea,
    merge_ideas,
    stop_updates,
)
from ideas.services.groups import (
    GroupData,
    ModeratorAccess,
    add_moderator,
    assign_by_preference,
    assign_evenly_at_random,
    assign_member,
    create_group,
    renew_moderator_access,
    renew_poster_key,
    revoke_moderator,
    set_preference,
)
from ideas.services.live import LiveDraft, live_ideas_to_place, place_live_idea, send_live_idea
from ideas.services.moderation import (
    approve_idea,
    hide_idea,
    moderation_queue,
    report_abuse,
    reported_ideas,
    reword_idea,
    set_moderation_mode,
)
from ideas.services.voting import (
    configure_voting,
    give_dot,
    set_voting_open,
    take_back_dot,
    voter_for_device,
    voter_for_registration,
)
from ideas.services.working_groups import create_working_group, set_leads

__all__ = [
    "GroupData",
    "IdeaChanges",
    "IdeaDraft",
    "ItemChanges",
    "LiveDraft",
    "ModeratorAccess",
    "add_idea",
    "add_idea_at_table",
    "add_moderator",
    "approve_idea",
    "assign_by_preference",
    "assign_evenly_at_random",
    "assign_member",
    "configure_voting",
    "create_backlog_item",
    "create_group",
    "create_working_group",
    "edit_idea",
    "give_dot",
    "hide_idea",
    "live_ideas_to_place",
    "merge_ideas",
    "moderation_queue",
    "place_live_idea",
    "renew_moderator_access",
    "renew_poster_key",
    "report_abuse",
    "reported_ideas",
    "revoke_moderator",
    "reword_idea",
    "send_live_idea",
    "set_leads",
    "set_moderation_mode",
    "set_preference",
    "set_voting_open",
    "sort_into_working_group",
    "stop_updates",
    "take_back_dot",
    "update_backlog_item",
    "voter_for_device",
    "voter_for_registration",
]
