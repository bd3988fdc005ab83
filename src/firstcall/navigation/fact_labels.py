"""What each fact of a check, each end of a flow and each way along the path is called on the
agent's screen. The codes stay the flows' and the conditions' language; the agent reads these
names (an expert finds the code beside them, in a "Code" detail)."""

from typing import Any

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from firstcall.customers.display import shown

FACT_LABELS: dict[str, Any] = {
    # broadband: CRM, AAA, resources, sessions, books, alarms
    "bb_state": _("Broadband state in CRM"),
    "bb_access_type": _("Access type"),
    "has_broadband": _("Has broadband"),
    "aaa_exists": _("AAA account exists"),
    "aaa_state": _("AAA account state"),
    "aaa_locked": _("AAA account locked"),
    "auth_any": _("Authentication requests seen"),
    "auth_last_accepted": _("Last authentication accepted"),
    "auth_reason": _("Reason of the last rejection"),
    "auth_any_accept": _("Any authentication accepted"),
    "res_matches_actual": _("Resources match the actual port"),
    "session_count": _("Online sessions"),
    "session_stale": _("Stale session left"),
    "session_foreign": _("Session from an unknown place"),
    "bb_book_ok": _("Prepaid book usable"),
    "alarm_count": _("Active alarms"),
    "ont_mode": _("ONT mode"),
    "ont_dialling": _("ONT dials itself"),
    "line_test_passed": _("Line test passed"),
    "line_test_result": _("Line test result"),
    "dial_attempts": _("Dial attempts"),
    "dial_accepted": _("Dial attempts accepted"),
    "onu_present": _("ONU known to the NMS"),
    "onu_online": _("ONU online"),
    "onu_offline_reason": _("Why the ONU is offline"),
    "onu_rx_ok": _("ONU optical power normal"),
    "onu_registered": _("ONU registered"),
    "onu_config_present": _("ONU service configured"),
    "internet_vlan_ok": _("Internet VLAN configured"),
    "lan_port_present": _("LAN switch port found"),
    "lan_port_up": _("LAN switch port up"),
    "lan_crc_errors": _("CRC errors on the port"),
    "line_poor": _("Line quality poor"),
    "line_unstable": _("Line unstable"),
    "redial_stale_session": _("Stale session blocks redialling"),
    "redial_rejects": _("Rejected redials"),
    "redial_requests": _("Redial requests"),
    "rate_session_low": _("Session speed below the offer"),
    "rate_profile_stale": _("Speed profile out of date"),
    "drop_count": _("Disconnections"),
    "drops_physical": _("Disconnections on the line"),
    "drops_timeout": _("Disconnections by timeout"),
    "drops_user": _("Disconnections by the user"),
    "drops_nas_cluster": _("Disconnections of the whole NAS"),
    "bb_reminder": _("Expiry or arrears reminder sent"),
    "dns_alarm_count": _("DNS alarms"),
    # IPTV
    "iptv_line_up": _("IPTV line up"),
    "stb_port_ok": _("Set-top box port normal"),
    "iptv_vlan_configured": _("IPTV VLAN configured"),
    "iptv_crm_state": _("IPTV state in CRM"),
    "iptv_exists": _("IPTV account exists"),
    "iptv_platform_ok": _("IPTV platform account normal"),
    "iptv_stb_matches": _("Set-top box matches the binding"),
    "iptv_multicast": _("Multicast allowed"),
    "iptv_alarm_count": _("IPTV alarms"),
    # mobile
    "has_mobile": _("Has a mobile product"),
    "mob_state": _("Mobile state in CRM"),
    "mob_outgoing": _("Outgoing calls ordered"),
    "mob_sms": _("SMS ordered"),
    "mob_data": _("Mobile data ordered"),
    "mob_intl_roaming": _("International roaming ordered"),
    "mob_intl_ld": _("International calls ordered"),
    "mob_in_arrears": _("In arrears"),
    "mob_available": _("Available balance (yuan)"),
    "mob_prepaid": _("Prepaid"),
    "hlr_out_barred": _("Outgoing calls barred in the HLR"),
    "hlr_ts11": _("Telephony (TS11) subscribed"),
    "hlr_ocsi_missing": _("Prepaid call trigger (O-CSI) missing"),
    "hlr_intl_mismatch": _("International rights differ from CRM"),
    "hlr_call_mismatch": _("Call rights differ from CRM"),
    "hlr_ss_baoc": _("Barring set by the user (BAOC)"),
    "voice_out_recent": _("Outgoing calls succeeded lately"),
    "voice_out_count": _("Recent outgoing calls"),
    "cell_alarm_count": _("Cell alarms"),
    "coverage_weak": _("Weak coverage"),
    "route_alarm_count": _("Trunk route alarms"),
    "data_blocked": _("Data blocked"),
    "data_throttled": _("Data throttled"),
    "data_remaining_mb": _("Data left (MB)"),
    "hlr_data_ok": _("Data subscribed in the HLR"),
    "pcrf_misthrottled": _("Throttled by PCRF by mistake"),
    "hlr_roaming_allowed": _("Roaming allowed in the HLR"),
    "hlr_registered_abroad": _("Registered abroad"),
    "roam_capped": _("Roaming spending cap reached"),
    "roam_balance_ok": _("Balance enough for roaming"),
    # orders
    "order_found": _("Order found"),
    "order_state": _("Order state"),
    "order_fail_kind": _("Why the order failed"),
    "wo_failed": _("Work order failed"),
    "order_needs_field": _("Order needs field work"),
    "order_effect_later": _("Order takes effect later"),
    "order_effective": _("Order in effect on the platforms"),
    "order_overcharged": _("Order overcharged"),
    # points and benefits
    "pts_has_order": _("Redemption found"),
    "pts_state": _("Redemption state"),
    "pts_physical": _("Physical gift"),
    "pts_fail_kind": _("Why the redemption failed"),
    "acct_in_arrears": _("Account in arrears"),
    "benefit_credited": _("Benefit credited"),
    "benefit_overdue": _("Benefit overdue"),
    "gift_overdue": _("Gift delivery overdue"),
    "pts_refunded": _("Points refunded"),
    # SMS
    "hlr_sms_mismatch": _("SMS rights differ from CRM"),
    "hlr_mcef": _("Memory full flag (MCEF) set"),
    "hlr_mnrf": _("Not reachable flag (MNRF) set"),
    "sms_records": _("SMS records"),
    "sms_last_state": _("Last SMS state"),
    "sms_last_cause": _("Last SMS failure cause"),
    "sms_blocked": _("SMS blocked"),
    "sms_106_records": _("106 messages sent"),
    "sms_106_delivered": _("106 messages delivered"),
    "smsc_alarm_count": _("SMS centre alarms"),
    # value-added services
    "sp_charge_count": _("Service provider charges"),
    "sp_charge_total": _("Service provider charges (yuan)"),
    "vas_charged_without_order": _("Charged without an order"),
    "vas_charged_after_unsub": _("Charged after unsubscribing"),
    "vas_unconfirmed": _("Subscribed without confirmation"),
    # not from a check
    "answer": _("Caller's answer"),
    "action_ok": _("Action succeeded"),
}

# What an end step does, by its action code.
END_ACTIONS: dict[str, Any] = {
    "CREATE_COMPLAINT_TICKET": _("open a complaint ticket"),
    "CREATE_FAULT_TICKET": _("open a fault ticket"),
    "EXPLAIN": _("explain to the caller"),
    "GUIDE_SELF_FIX": _("guide the caller to fix it"),
    "MASS_FAULT_LINK": _("link to the area fault"),
    "PAY_REMIND": _("remind the caller to pay"),
    "REFUND_REQUEST": _("request a refund"),
    "TRANSFER_EXPERT": _("transfer to the expert desk"),
    "VISIT_STORE": _("send the caller to a shop"),
}

# How the agent reached a step of the path.
PATH_KINDS: dict[str, Any] = {
    "start": _("start of the flow"),
    "auto": _("auto-diagnosis"),
    "branch": _("followed"),
    "jump": _("jumped"),
    "back": _("went back"),
}


# Words some facts hold, named per fact (a word such as "balance" means something else elsewhere).
FACT_VALUES: dict[str, dict[str, Any]] = {
    "order_fail_kind": {
        "channel": pgettext_lazy("why an order failed", "sales channel"),
        "rule": pgettext_lazy("why an order failed", "business rule"),
    },
    "pts_fail_kind": {
        "balance": pgettext_lazy("why a redemption failed", "not enough points"),
        "status": pgettext_lazy("why a redemption failed", "account state"),
        "stock": pgettext_lazy("why a redemption failed", "out of stock"),
        "system": pgettext_lazy("why a redemption failed", "system error"),
    },
}


def fact_label(name: str) -> Any:
    return FACT_LABELS.get(name, name)


def fact_value(name: str, value: Any) -> Any:
    """A fact's value as the agent reads it: the fact's own word, else as any platform value."""
    if isinstance(value, str) and value in FACT_VALUES.get(name, {}):
        return FACT_VALUES[name][value]
    return shown(value)


def facts_sentence(facts: dict[str, Any]) -> str:
    """Facts with their values as an agent reads them: "Broadband state in CRM = active, …"."""
    # Translators: a fact's name and its value where a walk stopped.
    pairs = [
        gettext("%(fact)s = %(value)s") % {"fact": fact_label(k), "value": shown(v)}
        for k, v in facts.items()
    ]
    # Translators: the separator between facts where a walk stopped.
    return gettext(", ").join(pairs)
