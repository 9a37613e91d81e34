"""The record as open data: Linked Places, reconciliation, citable releases and changes since a date."""
