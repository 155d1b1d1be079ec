"""`make bench` (`python -m tests.bench`): the UN-scale benchmark on PostgreSQL.

Prints one table of figures; gates nothing. Set-up (setup), the rebuild and its floors
(rebuild), every read through a real gunicorn beside its static-file floor, single
client and under load (reads, load, server), and writes under load with a real Celery
worker (storm). `python -m tests.bench.profile` times single requests in-process on
the same data instead (profile).
"""
