"""Each platform's state for one customer, in a normalised form the system modules render.

`build.build_platforms` derives every platform from CRM (what the customer bought and its
status), then lets injected conditions break that agreement, then replays command effects.
"""
