"""Reads of the back office: the to-do, done and search lists, a ticket's work items."""
