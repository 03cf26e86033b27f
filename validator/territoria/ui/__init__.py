"""``territoria ui``: a local web page to check files, for people who do not use a terminal.

Why local: a data officer checks unpublished data, which many local
authorities may not upload to a validator's server. Here the same verdicts,
errors and repaired copies as the command line come from a server on her own
machine (``127.0.0.1`` by default); the page loads nothing from elsewhere and
sends nothing elsewhere, and the server itself reads nothing from the network.

Its modules: :mod:`.server` (uvicorn on a bound socket, the private folder),
:mod:`.app` (the Starlette application: the page, its assets, the API, the
guards), :mod:`.uploads` (multipart bodies streamed into a private folder,
bounded), :mod:`.work` (validate and repair the uploads, offline, and name the
files as the user sent them), :mod:`.catalogue` (the catalogue for the page, and
the schema a header suggests), :mod:`.words` (the page's own words); the page's
template ``page.html`` and its assets in ``static/`` ship in the wheel.

Needs the optional extra ``pip install 'territoria[ui]'`` (Starlette, uvicorn,
python-multipart); nothing else imports this room.
"""
