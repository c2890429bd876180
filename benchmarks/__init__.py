"""Benchmarks of Stakeholder Explorer at scale: a seeded file generator and a runner.

Run ``python -m benchmarks.run`` (or ``make bench``); see ``docs/performance.md``.
"""
