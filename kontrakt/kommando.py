"""What the management commands share: a Danish refusal with exit code 2, and who a command's
changes are recorded as in the history."""

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def fejl(besked: str) -> CommandError:
    """A refusal the shell sees as exit code 2, with the Danish ``besked`` on stderr."""
    return CommandError(besked, returncode=2)


def historikkens_bruger(brugernavn: str, *, handling: str, intet: str, ukendt_slut: str = ""):
    """``--bruger``, else the app's user named as the OS login; refused without either.

    ``handling`` names what is done ("importen", "kopien") and ``intet`` what was left undone
    ("Intet er gemt.") in the refusal without a user; ``ukendt_slut`` ends the refusal of a
    ``--bruger`` the app doesn't know."""
    model = get_user_model()
    if brugernavn:
        try:
            return model.objects.get_by_natural_key(brugernavn)
        except model.DoesNotExist:
            raise fejl(f"Brugeren '{brugernavn}' findes ikke.{ukendt_slut}") from None
    try:
        login = getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment or the password file
        login = ""
    bruger = model.objects.filter(**{model.USERNAME_FIELD: login}).first() if login else None
    if bruger is None:
        ukendt = f"Appen har ingen bruger '{login}' som dit login. " if login else ""
        raise fejl(
            f"Angiv, hvem {handling} foretages af: --bruger BRUGERNAVN (en bruger i appen), så "
            f"historikken kan vise det. {ukendt}{intet}"
        )
    return bruger
