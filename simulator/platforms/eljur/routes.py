"""ЭлЖур URLs."""

from . import screens

ROUTES = [
    ("GET", "/", screens.sign_in),
    ("POST", "/login", screens.gosuslugi),
    ("GET", "/login/callback", screens.gosuslugi_callback),
    ("POST", "/logout", screens.sign_out),
    ("GET", "/diary", screens.diary),
    ("GET", "/class", screens.class_list),
    ("POST", "/class/students/{student_id}/contact", screens.class_contact),
    ("GET", "/lessons/{lesson_id}", screens.online_lesson),
    ("POST", "/lessons/{lesson_id}", screens.lesson_action),
    ("GET", "/vkid/callback", screens.vkid_callback),
]
