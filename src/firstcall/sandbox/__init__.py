"""The operator back-end sandbox: the operator's systems simulated as HTTP services.

CRM, billing, OCS, HLR, AAA, access-network NMS, resources, alarms, service provisioning, SMS
centre, VAS platform, IPTV platform, PCRF, points and GIS coverage each live under their own
URL prefix with their own JSON style, over one generated customer base (100,000 customers by
default, in Jiangsu, Guangdong and Sichuan). Customers are generated on demand from
(seed, index); only what commands and admin calls change is kept in memory.

This package imports nothing else of FirstCall: FirstCall's connectors are written against the
contract published at /openapi.json, and a shared helper would make the contract test a
tautology. Sandbox-only endpoints live under /_admin (ground truth, forced conditions, latency,
faults, reset).
"""
