"""The shapes of the live API: what the public pages show of questions and polls, nothing more
(no address, no pending or hidden question, no prepared poll). Other tools rely on them: add
fields, never rename or drop one."""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from live import queries
from live.models import Poll, Question


class LiveQuestionOut(Schema):
    id: int
    text: str
    name: str = Field(description="The asker's name, only when they chose to show it publicly; else empty")
    votes: int
    answered: bool
    answered_at: datetime | None
    answer: str = Field(description="The panel's answer as the team noted it; empty until answered")
    asked_at: datetime

    @staticmethod
    def resolve_name(question: Question) -> str:
        return question.public_name

    @staticmethod
    def resolve_answered(question: Question) -> bool:
        return question.answered_at is not None

    @staticmethod
    def resolve_answer(question: Question) -> str:
        return question.answer if question.answered_at else ""

    @staticmethod
    def resolve_asked_at(question: Question) -> datetime:
        return question.created_at


class LivePollOptionOut(Schema):
    id: int
    label: str
    count: int
    percent: int = Field(description="Share of the people who answered (several per person in a multiple choice)")


class LivePollResultsOut(Schema):
    ballots: int = Field(description="How many people answered")
    options: list[LivePollOptionOut]
    mean: float | None = Field(description="The mean of a scale from 1 to 5; null otherwise or without answers")


class LivePollOut(Schema):
    id: int
    question: str
    kind: Literal["single", "multiple", "scale"]
    state: Literal["open", "closed"]
    opened_at: datetime | None
    closed_at: datetime | None
    results: LivePollResultsOut

    @staticmethod
    def resolve_results(poll: Poll) -> dict:
        return queries.results(poll)
