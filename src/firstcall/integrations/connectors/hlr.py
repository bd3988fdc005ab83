"""HLR / HSS: the subscription as the network sees it (Huawei `LST SUB`): locks, operator
determined barring, teleservices, CAMEL triggers, packet data, location and SMS flags.

Contract (`/hlr/v1`): `{"ResultCode": 0, "ResultDesc", "subscriber"}` with `"TRUE"/"FALSE"`
flags; an unknown MSISDN is HTTP 200 with `ResultCode` 3001; a failed command HTTP 409.
"""

from typing import Any

from firstcall.integrations.connectors.base import Connector, MalformedResponse, NotFoundError
from firstcall.integrations.connectors.doc import Doc, Json
from firstcall.integrations.connectors.kinds import register

NOT_DEFINED = 3001


def _subscriber(body: Any) -> Doc:
    doc = Doc(body)
    code = doc.integer("ResultCode")
    if code == NOT_DEFINED:
        raise NotFoundError(doc.text("ResultDesc"))
    if code != 0:
        raise MalformedResponse(f"HLR ResultCode {code}: {doc.raw('ResultDesc')}")
    return doc.obj("subscriber")


def _csi(camel: Doc, key: str) -> bool:
    csi = camel.opt_obj(key)
    return csi is not None and csi.word_flag("STATE")


def subscriber_of(s: Doc) -> Json:
    """Flat, so that rules and the comparison read one level: the raw HLR values under their
    English names, then FirstCall's normalised flags (barring_out … isd_ok)."""
    lock, sab, odb = s.obj("LOCK"), s.obj("SABLOCK"), s.obj("ODB")
    dynamic, sms, camel = s.obj("Dynamic"), s.obj("SMS"), s.obj("CAMEL")
    services = s.obj("BasicService").texts("TS")
    teleservices = [service.split()[0] for service in services if service]
    ss = {key.lower(): str(value) for key, value in s.obj("SS").data.items()}
    gprs = s.opt_obj("GPRS")
    isdn = s.text("ISDN")
    subscriber: Json = {
        "msisdn": isdn[2:] if isdn.startswith("86") else isdn,
        "isdn": isdn,
        "imsi": s.text("IMSI"),
        "card_type": s.text("CardType"),
        "nam": s.text("NAM"),
        "category": s.text("CATEGORY"),
        "lock_incoming": lock.word_flag("GSM_IC"),
        "lock_outgoing": lock.word_flag("GSM_OC"),
        "lock_data": lock.word_flag("GPRSLOCK"),
        "subscriber_lock_incoming": sab.word_flag("SABLOCK_IC"),
        "subscriber_lock_outgoing": sab.word_flag("SABLOCK_OC"),
        "odb_outgoing": odb.text("ODBOC"),
        "odb_incoming": odb.text("ODBIC"),
        "odb_roaming": odb.text("ODBROAM"),
        "odb_pos": odb.text("ODBPOS"),
        "odb_ss": odb.word_flag("ODBSS"),
        "teleservices": teleservices,
        "supplementary": ss,
        "ss_baoc_active": "ACT" in ss.get("baoc", "").split(","),
        "o_csi": _csi(camel, "O-CSI"),
        "t_csi": _csi(camel, "T-CSI"),
        "apn": gprs.text("APN") if gprs is not None else None,
        "roaming_option": s.text("RROption"),
        "vlr_in_hplmn": dynamic.word_flag("VLRInHplmn"),
        "vlr_in_home_country": dynamic.word_flag("VLRInHomeCountry"),
        "ms_purged": dynamic.word_flag("MsPurgedForNonGprs"),
        "cs_update_status": dynamic.text("CsUplStatus"),
        "isd_status": dynamic.text("ISDStatus"),
        "msc_number": dynamic.text("MSCNumber"),
        "serving_cell": dynamic.text("ServingCell"),
        "cgi": dynamic.text("CGI"),
        "mnrf": sms.word_flag("MNRF"),
        "mcef": sms.word_flag("MCEFforGSM"),
        "mnrr": sms.text("MNRRforGSM"),
    }
    subscriber.update(
        barring_out=subscriber["lock_outgoing"] or subscriber["odb_outgoing"] == "BAOC",
        barring_in=subscriber["lock_incoming"] or subscriber["odb_incoming"] == "BAIC",
        intl_roaming_allowed=subscriber["odb_roaming"] == "NOBAR",
        sms_mt_provisioned="TS21" in teleservices,
        sms_mo_provisioned="TS22" in teleservices,
        data_provisioned=gprs is not None,
        registered_abroad=not subscriber["vlr_in_home_country"],
        isd_ok=subscriber["isd_status"] == "Succeeded",
    )
    return subscriber


@register
class HlrConnector(Connector):
    kind = "hlr"
    error_keys = ("ResultCode", "ResultDesc")

    async def subscriber(self, msisdn: str) -> Json:
        """The subscription of a mobile number. GET /v1/subscribers/{msisdn}.

        Returns a flat dict: msisdn, isdn, imsi, card_type, nam, category; operator locks
        lock_incoming / lock_outgoing / lock_data (GSM_IC / GSM_OC / GPRSLOCK), subscriber locks
        subscriber_lock_incoming / _outgoing; ODB odb_outgoing (NOBOC|BOIC|BAOC…), odb_incoming
        (NOBIC|BAIC…), odb_roaming (NOBAR|BROHPLMN|BROHPLMNC…), odb_pos, odb_ss;
        teleservices ["TS11", "TS21", …], supplementary {clip, cw, cfnrc, baoc: "PROV" …},
        ss_baoc_active; o_csi, t_csi (CAMEL trigger present and active); apn (None without a
        GPRS subscription); roaming_option; vlr_in_hplmn, vlr_in_home_country, ms_purged,
        cs_update_status, isd_status, msc_number, serving_cell, cgi; mnrf, mcef, mnrr; and the
        normalised flags barring_out, barring_in, intl_roaming_allowed, sms_mt_provisioned,
        sms_mo_provisioned, data_provisioned, registered_abroad, isd_ok.
        NotFoundError on ResultCode 3001 (HTTP 200).
        """
        return subscriber_of(
            _subscriber(await self.fetch("subscriber", f"/v1/subscribers/{msisdn}"))
        )

    async def resync(self, msisdn: str, idempotency_key: str) -> Json:
        """Rewrite the subscription from CRM and re-send it to the VLR.
        POST /v1/subscribers/{msisdn}/resync. Returns the subscriber after (as `subscriber`).
        CommandRefused on 409 (the HLR failed the command; nothing changed)."""
        body = await self.command("resync", f"/v1/subscribers/{msisdn}/resync", {}, idempotency_key)
        return subscriber_of(_subscriber(body))
