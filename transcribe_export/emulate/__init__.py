"""A HeyGen-compatible server on loopback (:mod:`.server`) that serves a folder
of sessions, with every network fault on demand (:mod:`.scenarios`): the
demo, the tests and users' own tooling run the real HTTP path against it.
"""
