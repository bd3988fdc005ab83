"""How the OCS renders a subscriber: money in fen, account books, data quota."""

from firstcall.sandbox.model import Customer
from firstcall.sandbox.platforms.state import Ocs
from firstcall.sandbox.systems.common import fen

STATE_CODES = {
    "正常": "A",
    "单停": "S1",
    "双停": "S2",
    "停机保号": "S3",
    "挂失": "S4",
    "关停": "S9",
}


def subscriber_json(c: Customer, number: str, o: Ocs) -> dict:
    if c.broadband and number == c.broadband.account:
        book = o.bb_book or {}
        return {
            "serviceNo": number,
            "serviceType": "broadband",
            "payType": "prepaid",
            "accountBooks": [
                {
                    "bookType": "宽带专款账本",
                    "balanceFen": fen(book.get("balance", 0)),
                    "expireDate": book.get("expires"),
                }
            ],
        }
    books = [{"bookType": "通用余额", "balanceFen": fen(o.balance), "expireDate": None}]
    if o.bb_book:
        books.append(
            {
                "bookType": "专款专用（仅抵扣宽带）",
                "balanceFen": fen(o.bb_book["balance"]),
                "expireDate": o.bb_book["expires"],
            }
        )
    return {
        "serviceNo": number,
        "serviceType": "mobile",
        "payType": "prepaid" if c.pay_mode == "预付费" else "postpaid",
        "subscriberState": o.state,
        "stateCode": STATE_CODES.get(o.state, "A"),
        "balanceFen": fen(o.balance),
        "creditFen": fen(o.credit),
        "availableFen": fen(o.balance + o.credit),
        "offerId": o.offer_id,
        "addOns": o.addons,
        "accountBooks": books,
        "data": {
            "quotaMb": o.data_quota_mb,
            "usedMb": o.data_used_mb,
            "remainingMb": max(0, o.data_quota_mb - o.data_used_mb),
            "capSetByUser": o.cap_set,
            "blocked": o.data_blocked,
            "throttled": o.throttled,
        },
        "roamingPack": o.roaming_pack,
    }
