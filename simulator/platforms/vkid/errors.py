"""Messages VK ID shows when something outside the user's input goes wrong."""

# Quoted from the teachers' instruction (seed 001), word for word.
IDENTITY_UNAVAILABLE = (
    "Нажата «Продолжить», но произошла ошибка: невозможно получить идентификационные данные. Подробнее..."
)
