"""Renderers turn a report into text for people or formats for machines."""
