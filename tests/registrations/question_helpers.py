"""The questions the question tests ask: a required single choice with English choices, and an
optional yes/no."""

from events.questions import QuestionData, add_question

MEAL = QuestionData("choice", "Essen?", "Meal?", ("Vegetarisch", "Vegan"), ("Vegetarian", "Vegan"), True)
PARKING = QuestionData("yes_no", "Parkplatz?", "Parking?")


def ask_meal_and_parking(event, *, now):
    """Both questions added to `event` (refreshed, so that it knows it asks questions)."""
    meal = add_question(event, MEAL, actor=None, now=now)
    parking = add_question(event, PARKING, actor=None, now=now)
    event.refresh_from_db()
    return meal, parking
