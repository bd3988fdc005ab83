"""Checks and the pages that show them, one module per product family.

A check is what a query step reads and the facts it yields for the flow's conditions; its page
is what the step shows the agent, side by side (CRM's record against the platform's). A family
module (`broadband`, `access`, `mobile`, `orders` …) holds its checks and their pages; its
template is `navigation/checks/<family>.html`, which extends the shared `base.html`.

The house of the family modules: `registry` (the Check record, `CHECKS`, the `check` decorator
and the facts' types), `reads` (how a check reads a product's platforms through the unified
view) and `page` (the page's shape and `step_page`). None of them imports a family; the
families are imported, and so registered, by `NavigationConfig.ready()`.
"""

# The family modules, in the order they register; `NavigationConfig.ready()` imports each.
FAMILIES = (
    "access",
    "broadband",
    "broadband_billing",
    "broadband_sessions",
    "iptv",
    "mobile",
    "mobile_quota",
    "network",
    "orders",
    "points",
    "sms",
    "vas",
)
