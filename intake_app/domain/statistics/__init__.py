"""The fiscal-year statistics as pure data and arithmetic (no SQL, no files).

- ``figures``: what a year's statistics are (``YearStats``: tables of twelve monthly
  counts, April first, and the year-on-year series of 図1);
- ``suppression``: small-cell suppression, marking which cells may be published so
  that no count of 1 … ``min_count`` − 1 can be read or worked out (``suppress``,
  and ``audit``, the outsider's interval narrowing it checks itself against);
- ``publication``: every published cell with its sums (``cell_space``) and what
  leaves the program (``publish`` → ``PublishedStats``, display strings only).

The store counts the figures (``store/stats.py``); the CSV and the PDF report are
written by ``documents``.
"""
