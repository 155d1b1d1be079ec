"""The one error for a query parameter that cannot be honoured."""


class ParameterError(ValueError):
    """A bad query parameter: `param` names it, `message` says what is wrong.

    Pages answer it with a 400 page, the API with 400 `{param: [message]}`.
    """

    def __init__(self, param, message):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message
