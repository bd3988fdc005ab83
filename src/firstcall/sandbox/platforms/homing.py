"""Homing: which network elements serve a customer, and who is put on an NE in alarm."""

import dataclasses
from collections.abc import Iterable
from datetime import datetime

from firstcall.sandbox.alarms import alarm_for, pon_port
from firstcall.sandbox.conditions.spec import Condition
from firstcall.sandbox.model import Customer
from firstcall.sandbox.network import NeRef, parse_ne, pool_ne
from firstcall.sandbox.platforms.state import Platforms, Refs

ACCESS_KIND = {"FTTH": "OLT", "ADSL": "DSLAM", "LAN": "SW"}
ACCESS_OUTAGE_POOL = {"OLT": "los", "DSLAM": "down", "SW": "down"}


def rehome(c: Customer, conditions: Iterable[Condition]) -> Customer:
    """Put the customer on the NEs its pooled conditions name (an OLT in alarm, a weak cell)."""
    for cond in conditions:
        if cond.pool is not None:
            c = _rehome_one(c, *cond.pool)
    return c


def _rehome_one(c: Customer, kind: str, pool: str) -> Customer:
    replace = dataclasses.replace
    if kind == "ACCESS":
        if c.broadband is None:
            return c
        kind = ACCESS_KIND[c.broadband.access]
        pool = ACCESS_OUTAGE_POOL[kind] if pool == "outage" else pool
    ne = pool_ne(c.profile.city, kind, pool, c.index)
    if c.broadband and kind in ("OLT", "DSLAM", "SW", "BRAS", "DNS"):
        line = c.broadband.line
        if kind == "BRAS":
            line = replace(line, bras_id=ne)
        elif kind == "DNS":
            line = replace(line, dns_id=ne)
        else:
            ref = parse_ne(ne)
            port = pon_port(ref) if kind == "OLT" and pool == "los" and ref else line.port
            line = replace(line, ne_id=ne, port=port)
        return replace(c, broadband=replace(c.broadband, line=line))
    if c.mobile and kind == "CELL":
        return replace(c, mobile=replace(c.mobile, cell_id=ne))
    if c.mobile and kind == "MSC":
        return replace(c, mobile=replace(c.mobile, msc_id=ne))
    if c.mobile and kind == "SMSC":
        return replace(c, mobile=replace(c.mobile, smsc_id=ne))
    if c.iptv and kind == "IPTV":
        return replace(c, iptv=replace(c.iptv, node_id=ne))
    return c


def refs_of(c: Customer) -> Refs:
    refs = Refs()
    if b := c.broadband:
        refs.access_ne, refs.bras, refs.dns = b.line.ne_id, b.line.bras_id, b.line.dns_id
    if m := c.mobile:
        refs.cell, refs.msc, refs.smsc = m.cell_id, m.msc_id, m.smsc_id
    if i := c.iptv:
        refs.iptv_node = i.node_id
    return refs


def ne_alarms(p: Platforms, epoch: datetime) -> list[dict]:
    """The standing alarms on the NEs that serve this customer."""
    found = []
    for value in dataclasses.astuple(p.refs):
        ref: NeRef | None = parse_ne(value) if value else None
        if ref and (alarm := alarm_for(ref, epoch)):
            found.append(alarm)
    return found
