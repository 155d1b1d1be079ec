"""The demo data set: the UN cybercrime negotiation, as sourced in shared/source/."""
