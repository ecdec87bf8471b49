"""МАХ: the messenger that hosts Sferum educational profiles («Сферум в МАХ»).

People register in МАХ by phone with their real full name and sign in with a code sent by SMS.
A journal (МЭШ) links its account to the profile in МАХ like this:

    МЭШ «Перейти к подключению» ──► max /link?service=mes&state=…  (the journal's request)
    max «Вход в МАХ»: number → «Продолжить»
        no МАХ account: «install and authorise МАХ first» → «Регистрация в МАХ» (real ФИО)
    max SMS code → «Перейти в МАХ» (a new profile in МАХ asks for birth date and sex)
    ──► МЭШ /sferum/max/callback?state=…&ticket=…  → the journal links → «Перейти в Сферум»
    ──► max /sferum («Сферум в МАХ»)

Why the number, code and «Перейти в МАХ» screens live on МАХ's origin: the number is a МАХ account,
the code is МАХ's, and confirming it signs this browser in to МАХ, so «Перейти в Сферум» opens
the profile without asking again; the journal never sees the code. The journal gets only a
one-time ticket bound to its own `state` and makes the link itself, as it does after VK ID.
VPN is checked at «Перейти в МАХ» before the code is used, so after switching VPN off the same
code goes through.
"""

from .routes import ROUTES

__all__ = ["ROUTES"]
