"""Decision rules (rules.md §2-§7): each outcome carries its reasons in Japanese."""
