"""Application status (issue 4): connectors, store, lock-out, privacy, replies, the form and the lookup."""

from actions import privacy
from actions.status.check import ActionCheckStatus
from actions.status.form import ValidateApplicationStatusForm

# The action server configures logging before it imports the actions: mask from here on.
privacy.install()

__all__ = ["ActionCheckStatus", "ValidateApplicationStatusForm"]
