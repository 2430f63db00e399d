"""A municipality's guideline as data (issue 15): the file format, its loader and diff."""
