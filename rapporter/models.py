"""Locked snapshots of approved half-year reports live here once reports can be approved."""
