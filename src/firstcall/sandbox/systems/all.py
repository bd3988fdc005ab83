"""Every simulated system, in the order the index and the OpenAPI document list them."""

from firstcall.sandbox.systems import (
    aaa,
    alarm,
    billing,
    crm,
    gis,
    hlr,
    iptv,
    nms,
    ocs,
    pcrf,
    points,
    res,
    smsc,
    sps,
    vas,
)

SYSTEM_MODULES = (
    crm,
    billing,
    ocs,
    hlr,
    aaa,
    nms,
    res,
    alarm,
    sps,
    smsc,
    vas,
    iptv,
    pcrf,
    points,
    gis,
)
