"""VK ID's URLs: the sign-in screens a browser walks, the protocol endpoints, and what the web SDK calls."""

from . import avatar, cors, one_tap, protocol, screens, sdk

ROUTES = [
    ("GET", "/authorize", screens.authorize),
    ("*", "/auth", screens.login),
    ("*", "/auth/password", screens.password),
    ("*", "/auth/restore", screens.restore),
    ("*", "/auth/code", screens.code),
    ("POST", "/auth/code/resend", screens.resend),
    ("POST", "/auth/code/sms", screens.sms_instead),
    ("*", "/auth/about", screens.about),
    ("POST", "/auth/back", screens.back),
    ("POST", "/auth/phone", screens.by_phone),
    ("GET", "/auth/data", screens.shared),
    ("GET", "/help/identity-data", screens.identity_help),
    ("*", "/auth/profile", screens.profile),
    ("*", "/auth/confirm", screens.confirm),
    ("POST", "/oauth2/auth", cors.allow(protocol.token)),
    ("POST", "/oauth2/user_info", cors.allow(protocol.user_info)),
    ("POST", "/oauth2/public_info", cors.allow(protocol.public_info)),
    ("POST", "/oauth2/logout", cors.allow(protocol.logout)),
    ("POST", "/oauth2/revoke", cors.allow(protocol.revoke)),
    ("OPTIONS", "/oauth2/{endpoint}", cors.preflight),
    # The web SDK's own calls and its embedded One Tap apps.
    ("POST", "/vkid_sdk_get_config", cors.allow(sdk.get_config)),
    ("POST", "/stat_events_vkid_sdk", cors.allow(sdk.stat_events)),
    ("OPTIONS", "/vkid_sdk_get_config", cors.preflight),
    ("OPTIONS", "/stat_events_vkid_sdk", cors.preflight),
    ("GET", "/button_one_tap_auth", one_tap.widget),
    ("GET", "/floating_one_tap_auth", one_tap.widget),
    ("GET", r"/avatar/{user_id}.svg", avatar.avatar),
]
