"""How each SMS condition shows through HLR flags, SMSC records, blocking lists and alarms."""

from firstcall.sandbox.tests.checks import check
from firstcall.sandbox.tests.checks_mobile import hlr
from firstcall.sandbox.tests.views import Views


async def causes(v: Views) -> set[str | None]:
    return {r["failCause"] for r in (await v.get("smsc"))["records"]}


@check("sms_mcef_set")
async def _(v: Views) -> bool:
    return (await hlr(v))["SMS"]["MCEFforGSM"] == "TRUE"


@check("sms_mnrf_set")
async def _(v: Views) -> bool:
    return (await hlr(v))["SMS"]["MNRF"] == "TRUE"


@check("sms_fail_memory")
async def _(v: Views) -> bool:
    flags = (await hlr(v))["SMS"]
    return "memoryCapacityExceeded" in await causes(v) and flags["MCEFforGSM"] == "FALSE"


@check("sms_fail_absent")
async def _(v: Views) -> bool:
    flags = (await hlr(v))["SMS"]
    return "absentSubscriberSM" in await causes(v) and flags["MNRF"] == "FALSE"


@check("sms_fail_barred")
async def _(v: Views) -> bool:
    dynamic = (await hlr(v))["Dynamic"]
    return "callBarred" in await causes(v) and dynamic["ISDStatus"] == "Failed"


@check("sms_fail_unknown_subscriber")
async def _(v: Views) -> bool:
    return "unknownSubscriber" in await causes(v)


@check("sms_no_records")
async def _(v: Views) -> bool:
    return not (await v.get("smsc"))["records"] and "短信中心" not in await v.alarm_types()


@check("sms_blocked")
async def _(v: Views) -> bool:
    blocking = await v.get("blocking")
    statuses = {r["status"] for r in (await v.get("smsc"))["records"]}
    return blocking["block106"] is True and "被拦截" in statuses


@check("smsc_alarm")
async def _(v: Views) -> bool:
    return not (await v.get("smsc"))["records"] and "短信中心" in await v.alarm_types()
