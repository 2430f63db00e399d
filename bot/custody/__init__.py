"""Credential custody (5(10)) and personnel transfers (人事異動) for official accounts.

``models`` (tables), ``secrets`` (refusing anything that looks like a credential),
``recovery`` (personal vs role addresses), ``service`` (custody records and handovers),
``transfers`` (the transfer list and the effective-date step), ``reminders`` (the reminder
sources), ``messaging`` (neutral messages), ``commands`` / ``api`` (faces), ``cli``.
"""
