"""What a password must be, for the web and the command line alike: at least 12
characters, not guessable (zxcvbn's estimate — it knows the common passwords, names,
dictionary words, keyboard runs and their l33t spellings — at least 3 of 4), and not
containing the user's own name. Each problem is told in Japanese and English."""

from __future__ import annotations

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn: 3 "safely unguessable", 10^8 guesses and more


def problems(password: str, username: str) -> list[str]:
    """Why ``password`` may not be used by ``username`` ("" reasons: none)."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(f"{MIN_LENGTH}文字以上にしてください / use at least {MIN_LENGTH} characters")
    local = username.lower().partition("@")[0]
    if len(local) >= 3 and local in password.lower():
        found.append("ユーザー名を含めないでください / do not include your user name")
    if password and len(password) <= 200:  # zxcvbn's time grows with the length
        estimate = zxcvbn(password, user_inputs=[username, local])
        if estimate["score"] < MIN_SCORE:
            hint = estimate["feedback"]["warning"] or "it is easy to guess"
            found.append(f"推測されやすいパスワードです / {hint}")
    return found


def check(password: str, username: str) -> None:
    """``ValueError`` with every reason when ``password`` may not be used."""
    found = problems(password, username)
    if found:
        raise ValueError("; ".join(found))
