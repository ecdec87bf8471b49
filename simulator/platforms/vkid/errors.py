"""Messages VK ID shows when something outside the user's input goes wrong, or the instructions forbid it."""

# Quoted from the teachers' instruction (seed 001), word for word; «Подробнее...» opens VK ID's help about it.
IDENTITY_UNAVAILABLE_MESSAGE = "Нажата «Продолжить», но произошла ошибка: невозможно получить идентификационные данные."
MORE = "Подробнее..."
IDENTITY_UNAVAILABLE = f"{IDENTITY_UNAVAILABLE_MESSAGE} {MORE}"
IDENTITY_HELP = "/help/identity-data"

# Seed 002: «Для учеников младших классов до 14 лет доступно создание учебного профиля Сферум по электронной почте».
EMAIL_PROFILE_UNDER_FOURTEEN = (
    "Для учеников младших классов до 14 лет доступно создание учебного профиля Сферум по электронной почте. "
    "Если вам уже исполнилось 14 лет, войдите по номеру телефона."
)
EMAIL_PROFILE_REFUSED = (
    "Через «Создание учебного профиля» зарегистрировать профиль по электронной почте пока нельзя. "
    "Войдите по номеру телефона."
)
