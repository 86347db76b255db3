"""Data protection: retention, the citizen's data export and erasure (docs/privacy.md)."""
