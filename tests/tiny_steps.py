"""Step definitions shared by the tiny user projects the reporting tests write: a seeded teacher opens МЭШ."""

SEEDED_TEACHER_OPENS_MES = """
@given("учитель из сида", target_fixture="teacher")
def teacher(personas, sim_session):
    person = personas.make("teacher")
    sim_session.seed({"people": [person.entry(journal=None, vkid=True)]})
    return person


@when("он открывает МЭШ")
def open_mes(page, sim_session):
    page.goto(sim_session.url("mes", "/"))
"""
