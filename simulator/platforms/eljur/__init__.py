"""ЭлЖур: the e-journal students and parents enter through Госуслуги to reach their «Дневник».

A lesson planned online shows the green «Онлайн-урок» button to the student. The first time, the
student signs in to Sferum with VK ID and ЭлЖур links its account to the educational profile; from
then on the button opens the lesson at once. The lesson page lives on ЭлЖур itself
(/lessons/<id>): it names the subject and the Sferum profile the student attends with, which is
all a scenario needs to see (the video call itself is out of scope). Parents see the lessons but
never the button, and the lesson URL refuses them.
"""

from .routes import ROUTES
from .screens import GOSUSLUGI, VK_ID

RELYING_PARTIES = [VK_ID]
ESIA_CLIENTS = [GOSUSLUGI]  # its students sign in through Госуслуги
__all__ = ["ESIA_CLIENTS", "RELYING_PARTIES", "ROUTES"]
