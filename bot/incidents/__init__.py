"""Incidents: grouping reports of one attack, deriving its headline, and keeping both."""
