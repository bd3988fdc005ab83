"""Build one healthy customer from (seed, index, epoch). Pure and deterministic."""

from datetime import date, datetime

from firstcall.sandbox import catalog, numbering
from firstcall.sandbox.generate_history import orders, redemptions, vas_subscriptions
from firstcall.sandbox.generate_products import (
    broadband_line,
    iptv_service,
    mobile_line,
    prod_inst_id,
)
from firstcall.sandbox.model import Customer, FixedLine
from firstcall.sandbox.profile import profile
from firstcall.sandbox.rng import Purpose, digits, stream


def build_customer(seed: int, index: int, epoch: datetime) -> Customer:
    prof = profile(seed, index)
    rng = stream(seed, index, Purpose.CUSTOMER)
    city = prof.city
    today = epoch.date()
    district = rng.choice(city.districts)
    estate = rng.choice(catalog.ESTATES)
    building = f"{rng.randint(1, 30)}幢"
    address = f"{city.name}市{district}区{estate}{building}"
    if prof.government:
        name, cust_type = city.name + rng.choice(catalog.ORG_NAMES), "政企客户"
    else:
        compound = rng.random() < 0.03
        surname = rng.choice(catalog.COMPOUND_SURNAMES if compound else catalog.SURNAMES)
        name = surname + ("**" if compound else "*")
        cust_type = rng.choice(catalog.CUSTOMER_TYPES[:-1])
    star = rng.choices(catalog.STAR_LEVELS, weights=(8, 10, 14, 20, 20, 14, 9, 5))[0]
    cert_type = "营业执照" if prof.government else rng.choice(catalog.CERT_TYPES)
    cert_no = city.province_digits + city.city_digits + "**********" + digits(rng, 4)
    balance = round(rng.uniform(5, 300), 2) if prof.prepaid else round(rng.uniform(0, 50), 2)
    credit = (0.0, 0.0, 50.0, 50.0, 100.0, 200.0, 300.0, 500.0)[catalog.STAR_LEVELS.index(star)]
    products = stream(seed, index, Purpose.PRODUCTS)
    mobile = mobile_line(products, prof, epoch) if prof.mobile else None
    broadband = broadband_line(products, prof, epoch, address) if prof.broadband else None
    fixed = None
    if prof.fixed:
        fixed = FixedLine(numbering.fixed_number(index, city), prod_inst_id(products, 3))
    iptv = iptv_service(products, prof) if prof.iptv else None
    history = stream(seed, index, Purpose.HISTORY)
    return Customer(
        index=index,
        profile=prof,
        cust_id=numbering.customer_id(index, city),
        acct_id=numbering.account_id(index, city),
        name=name,
        cust_type=cust_type,
        cert_type=cert_type,
        cert_no=cert_no,
        real_name=True,
        star_level=star,
        star_valid_to=date(today.year, 12, 31),
        key_customer=star in ("6星黑金", "7星钻石") and rng.random() < 0.3,
        age=rng.randint(18, 82),
        serv_age_months=rng.randint(1, 240),
        city_flag="农村" if rng.random() < 0.15 else "城镇",
        district=district,
        branch=f"{district}{rng.choice('东西南北')}支局",
        grid=f"{district}{rng.randint(1, 9)}网格",
        contact_phone=mobile.msisdn if mobile else "1" + rng.choice("3589") + digits(rng, 9),
        address=address,
        repeat_30d=rng.choices((0, 1, 2, 3), weights=(85, 10, 4, 1))[0],
        cross_30d=rng.choices((0, 1), weights=(97, 3))[0],
        refunds_90d=rng.choices((0, 1), weights=(92, 8))[0],
        pay_mode="预付费" if prof.prepaid else "后付费",
        pay_channel=rng.choice(catalog.PAY_CHANNELS),
        balance=balance,
        credit_limit=0.0 if prof.prepaid else credit,
        mobile=mobile,
        broadband=broadband,
        fixed=fixed,
        iptv=iptv,
        vas=vas_subscriptions(history, index, epoch) if prof.vas else (),
        points_available=rng.randint(200, 30_000),
        points_expiring=rng.choice((0, 0, 800, 3200)),
        redemptions=redemptions(history, index, epoch),
        orders=orders(history, prof, index, epoch),
    )
