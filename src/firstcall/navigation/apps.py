from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NavigationConfig(AppConfig):
    name = "firstcall.navigation"
    label = "navigation"
    verbose_name = _("Guided flows")

    def ready(self) -> None:
        # The check families register their checks and pages on import (as NetBox registers its
        # views here); the registry they register with imports none of them.
        from firstcall.navigation.checks import (  # noqa: F401
            access,
            broadband,
            broadband_billing,
            broadband_sessions,
            iptv,
            mobile,
            mobile_quota,
            network,
            orders,
            points,
            sms,
            vas,
        )
