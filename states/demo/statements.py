"""Statements and the positions they express, as the two sources report them."""

STATEMENTS = ()
