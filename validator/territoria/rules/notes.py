"""The French of the tool's notes: what a reader, a schema check or a download says went wrong.

Why: a finding's ``note`` is English, as frictionless writes it (the JSON report
stays comparable), and it is built where the problem is met (``"mesures.csv:
no such file"``). A French report must not quote English, so each note shape is
declared here once, as a pattern and its French wording; :func:`french` turns a
note into French, piece by piece ("a; b"), keeping the places (file names,
paths, fields) as they are. A note of an unknown shape stays as it is, and
``tests/test_rules.py`` runs the tool's failures in French to catch one.
"""
from __future__ import annotations

import re

#: (English pattern, French template): named groups are copied into the template
NOTES = [
    # sources (readers/)
    (r"the source is empty", "la source est vide"),
    (r"(?P<where>.+): no such file", "{where} : fichier introuvable"),
    (r"(?P<where>.+): is a directory, not a data file", "{where} : c'est un dossier, pas un fichier de données"),
    (r"(?P<where>.+): is a directory with no datapackage.json and no data file",
     "{where} : c'est un dossier sans datapackage.json ni fichier de données"),
    (r"(?P<where>.+): permission denied", "{where} : accès refusé"),
    (r"(?P<where>.+): no file matches", "{where} : aucun fichier ne correspond"),
    (r"(?P<where>.+): not an http\(s\) URL", "{where} : ce n'est pas une adresse http(s)"),
    (r"unsupported source of type (?P<kind>.+)", "source d'un type non pris en charge ({kind})"),
    (r"a zip archive that is neither an XLSX nor an ODS spreadsheet",
     "une archive zip qui n'est ni un classeur XLSX ni un classeur ODS"),
    (r"format '(?P<format>.+)' is not supported", "le format « {format} » n'est pas pris en charge"),
    (r"format '(?P<format>.+)' is not a spreadsheet format", "le format « {format} » n'est pas un format de classeur"),
    (r"reading XLSX needs the openpyxl package", "lire un XLSX demande le paquet openpyxl"),
    (r"reading XLS needs the xlrd package \(pip install xlrd\)", "lire un XLS demande le paquet xlrd (pip install xlrd)"),
    (r"invalid excel file: (?P<detail>.+)", "fichier Excel invalide : {detail}"),
    (r"invalid ODS file: (?P<detail>.+)", "fichier ODS invalide : {detail}"),
    (r"invalid Parquet file: (?P<detail>.+)", "fichier Parquet invalide : {detail}"),
    (r"invalid (?P<what>\S+): (?P<detail>.+)", "{what} invalide : {detail}"),
    (r"unreadable ODS date (?P<value>.+?): (?P<detail>.+)", "date ODS illisible {value} : {detail}"),
    (r"cannot decode byte (?P<byte>\d+) as (?P<encoding>.+)",
     "l'octet {byte} ne se décode pas en {encoding}"),
    (r"unknown encoding (?P<encoding>.+)", "encodage inconnu {encoding}"),
    (r"the header row cannot be parsed: (?P<detail>.+)", "la ligne d'en-tête ne peut pas être lue : {detail}"),
    (r"the file is not valid UTF-8 further on; save it again as UTF-8",
     "plus loin, le fichier n'est pas en UTF-8 valide ; enregistrez-le à nouveau en UTF-8"),
    (r"cannot decode the file as (?P<encoding>.+) near line (?P<line>\d+)",
     "le fichier ne se décode pas en {encoding} vers la ligne {line}"),
    (r"line (?P<line>\d+) column (?P<column>\d+): invalid JSON: (?P<detail>.+)",
     "ligne {line}, colonne {column} : JSON invalide : {detail}"),
    (r"line (?P<line>\d+): (?P<detail>.+)", "ligne {line} : {detail}"),
    (r"the file looks binary \(it contains NUL bytes\)",
     "le fichier semble binaire (il contient des octets NUL)"),
    (r"unsupported inline data", "données en ligne (inline) non prises en charge"),
    (r"the (?P<kind>JSON|NDJSON) file is not valid UTF-8: (?P<detail>.+)",
     "le fichier {kind} n'est pas en UTF-8 valide : {detail}"),
    (r"invalid JSON: (?P<detail>.+) at (?P<where>.+)", "JSON invalide : {detail} à {where}"),
    (r"resource '(?P<name>.+)' has no path", "la ressource « {name} » n'a pas de chemin (path)"),
    (r"out of memory while reading the source", "mémoire épuisée pendant la lecture de la source"),
    # downloads (readers/remote.py)
    (r"(?P<url>\S+): redirected to a non-HTTP address", "{url} : redirigé vers une adresse qui n'est pas http(s)"),
    (r"(?P<url>\S+): the file is larger than (?P<size>\d+) bytes", "{url} : le fichier dépasse {size} octets"),
    (r"(?P<url>\S+): the download took too long", "{url} : le téléchargement a pris trop de temps"),
    (r"(?P<url>\S+): the download took longer than (?P<seconds>[\d.]+) s",
     "{url} : le téléchargement a pris plus de {seconds} s"),
    (r"the download stopped after (?P<size>\d+) of (?P<declared>\d+) bytes",
     "le téléchargement s'est arrêté après {size} octets sur {declared}"),
    (r"(?P<url>\S+): HTTP (?P<code>\d+) (?P<reason>.*)", "{url} : le serveur a répondu HTTP {code} {reason}"),
    (r"(?P<url>\S+): timed out", "{url} : délai d'attente dépassé"),
    # portals
    (r"(?P<base>\S+): stopped at page (?P<page>\d+): (?P<detail>.+)", "{base} : arrêtée à la page {page} : {detail}"),
    (r"(?P<ref>.+): the portal did not answer: (?P<detail>.+)", "{ref} : le portail n'a pas répondu : {detail}"),
    (r"(?P<ref>.+): the portal's answer \((?P<url>.+)\) is not valid JSON",
     "{ref} : la réponse du portail ({url}) n'est pas du JSON valide"),
    (r"(?P<ref>.+): the portal's answer has no list of resources",
     "{ref} : la réponse du portail ne contient pas de liste de ressources"),
    (r"(?P<ref>.+): CKAN package_show failed(?P<detail>.*)", "{ref} : l'appel CKAN package_show a échoué{detail}"),
    (r"(?P<ref>.+): the portal address (?P<base>.+) is not an http\(s\) URL",
     "{ref} : l'adresse du portail {base} n'est pas une adresse http(s)"),
    (r"(?P<ref>.+): not a dataset reference \(expected (?P<forms>.+)\)",
     "{ref} : ce n'est pas une référence de jeu de données (attendu : {forms})"),
    (r"(?P<ref>.+): the dataset has no resources", "{ref} : le jeu de données n'a aucune ressource"),
    (r"(?P<ref>.+): resource (?P<title>.+) has no http\(s\) address \((?P<url>.*)\)",
     "{ref} : la ressource {title} n'a pas d'adresse http(s) ({url})"),
    (r"(?P<base>\S+): stopped after (?P<pages>\d+) pages \(--max-pages\)",
     "{base} : arrêtée après {pages} pages (--max-pages)"),
    (r"(?P<base>.+): the portal's answer has no list of datasets",
     "{base} : la réponse du portail ne contient pas de liste de jeux de données"),
    (r"(?P<ref>.+): not a udata portal \(expected datagouv:<base>\)",
     "{ref} : ce n'est pas un portail udata (attendu : datagouv:<adresse>)"),
    # audits (audit/)
    (r"(?P<where>\S+): not done after (?P<seconds>[\d.]+) s", "{where} : pas terminée après {seconds} s"),
    (r"the worker was stopped", "le processus a été arrêté"),
    (r"(?P<where>\S+): the worker used more than (?P<mib>\d+) MiB and was stopped",
     "{where} : le processus a utilisé plus de {mib} Mio et a été arrêté"),
    (r"(?P<where>\S+): the worker stopped unexpectedly \(exit code (?P<code>-?\d+)\)",
     "{where} : le processus s'est arrêté de façon inattendue (code de sortie {code})"),
    (r"(?P<where>\S+): no Dask worker is left to run it", "{where} : il ne reste aucun processus Dask pour la vérifier"),
    (r"(?P<where>\S+): the Dask workers that ran it stopped", "{where} : les processus Dask qui la vérifiaient se sont arrêtés"),
    (r"(?P<where>\S+): the declared schema address (?P<url>.+) is not an http\(s\) URL",
     "{where} : l'adresse du schéma déclaré {url} n'est pas une adresse http(s)"),
    (r"(?P<where>.+): cannot be read \((?P<detail>.+)\)", "{where} : illisible ({detail})"),
    (r"--scheduler (?P<address>\S+): cannot reach the Dask scheduler \((?P<detail>.+)\)",
     "--scheduler {address} : l'ordonnanceur Dask ne répond pas ({detail})"),
    (r"--scheduler (?P<address>\S+): the Dask workers cannot run Territoria \((?P<detail>.+)\)",
     "--scheduler {address} : les processus Dask ne peuvent pas exécuter Territoria ({detail})"),
    (r"--scheduler (?P<address>\S+): the Dask workers run Territoria (?P<theirs>\S+), this command (?P<ours>\S+): "
     r"install the same version on both",
     "--scheduler {address} : les processus Dask ont Territoria {theirs}, cette commande {ours} : installez la même "
     "version des deux côtés"),
    (r"--scheduler needs Dask distributed: (?P<install>.+)", "--scheduler demande Dask distributed : {install}"),
    (r"local workers need the pebble package \((?P<install>.+)\)",
     "les processus locaux demandent le paquet pebble ({install})"),
    # schemas (schema/)
    (r"(?P<what>schema|data package) not found", "{what_fr} introuvable"),
    (r"(?P<what>schema|data package) is a directory, not a JSON file", "{what_fr} : c'est un dossier, pas un fichier JSON"),
    (r"(?P<what>schema|data package) is not UTF-8 text", "{what_fr} : ce n'est pas du texte UTF-8"),
    (r"(?P<what>schema|data package) is not valid JSON: (?P<detail>.+) \(line (?P<line>\d+), column (?P<column>\d+)\)",
     "{what_fr} : ce n'est pas du JSON valide : {detail} (ligne {line}, colonne {column})"),
    (r"a Table Schema must be a JSON object", "un Table Schema doit être un objet JSON"),
    (r"(?P<place>.+): a data package needs a non-empty 'resources' list",
     "{place} : un jeu de données (data package) doit avoir une liste « resources » non vide"),
    (r"fields: the names of the fields are not unique", "fields : les noms des champs ne sont pas uniques"),
    (r"primaryKey: field '(?P<name>.+)' does not exist", "primaryKey : le champ « {name} » n'existe pas"),
    (r"foreignKeys/(?P<n>\d+)/fields: field '(?P<name>.+)' does not exist",
     "foreignKeys/{n}/fields : le champ « {name} » n'existe pas"),
    (r"foreignKeys/(?P<n>\d+): fields and reference fields differ in number",
     "foreignKeys/{n} : les champs et les champs de référence ne sont pas en même nombre"),
    (r"(?P<path>fields/\d+/constraints/pattern): invalid regular expression: (?P<detail>.+)",
     "{path} : expression régulière invalide : {detail}"),
    (r"(?P<path>fields/\d+): constraint \"(?P<name>\w+)\" is not supported by type \"(?P<type>\w+)\"",
     "{path} : la contrainte « {name} » ne s'applique pas au type « {type} »"),
    (r"(?P<path>fields/\d+): constraint \"(?P<name>\w+)\" requires Table Schema v2 \(declare \"\$schema\"\)",
     "{path} : la contrainte « {name} » demande Table Schema v2 (déclarez « $schema »)"),
    (r"(?P<path>fields/\d+): constraint \"(?P<name>\w+)\" is \"(?P<value>.*)\": the bound is not a number",
     "{path} : la contrainte « {name} » vaut « {value} » : cette borne n'est pas un nombre"),
    (r"(?P<path>fields/\d+): constraint \"(?P<name>\w+)\" is \"(?P<value>.*)\": the bound is not a valid (?P<type>\w+)",
     "{path} : la contrainte « {name} » vaut « {value} » : cette borne n'est pas un(e) {type} valide"),
    (r"(?P<path>fields/\d+): example value \"(?P<value>.*)\" for field \"(?P<name>.*)\" is not valid",
     "{path} : l'exemple « {value} » du champ « {name} » n'est pas valide"),
    (r"(?P<path>fields/\d+): \"required\" should be set as \"constraints.required\"",
     "{path} : « required » doit figurer dans « constraints.required »"),
    (r"(?P<path>fields/\d+): format \"wkt\" needs an optional package: (?P<install>.+)",
     "{path} : le format « wkt » demande un paquet optionnel : {install}"),
    (r"(?P<path>[\w/()]+): '(?P<value>.+)' is not one of (?P<choices>.+)",
     "{path} : « {value} » ne fait pas partie de {choices}"),
    (r"(?P<path>[\w/()]+): '(?P<name>.+)' is a required property", "{path} : la propriété « {name} » est obligatoire"),
    (r"(?P<path>[\w/()]+): (?P<value>.+) is not of type '(?P<type>.+)'", "{path} : {value} n'est pas du type « {type} »"),
    (r"(?P<path>[\w/()]+): (?P<value>.+) is not valid under any of the given schemas",
     "{path} : {value} ne correspond à aucune des formes prévues"),
    (r"(?P<path>[\w/()]+): Additional properties are not allowed \((?P<detail>.+)\)",
     "{path} : propriétés non autorisées ({detail})"),
    (r"unsupported schema source (?P<kind>.+)", "source de schéma d'un type non pris en charge ({kind})"),
    (r"the schema describes several tables \((?P<names>.+)\): say which one",
     "le schéma décrit plusieurs tables ({names}) : précisez laquelle"),
    (r"the schema's package has no resource named '(?P<name>.+)'",
     "le jeu de données du schéma n'a pas de ressource nommée « {name} »"),
    (r"resource '(?P<name>.+)' of the schema's package has no schema",
     "la ressource « {name} » du jeu de données du schéma n'a pas de schéma"),
    (r"no catalogue entry named '(?P<name>.+)' \(known: (?P<known>.+)\)",
     "aucune entrée du catalogue ne s'appelle « {name} » (entrées : {known})"),
    (r"not a file, a URL or a catalogue name such as (?P<example>.+)",
     "ce n'est ni un fichier, ni une adresse, ni un nom du catalogue comme {example}"),
    (r"(?P<entry>\S+) has no version (?P<version>\S+) \(versions: (?P<versions>.+)\)",
     "{entry} n'a pas de version {version} (versions : {versions})"),
    (r"(?P<entry>\S+) has no resource '(?P<name>.+)' \(resources: (?P<names>.+)\)",
     "{entry} n'a pas de ressource « {name} » (ressources : {names})"),
    (r'failed to handle a foreign key for resource "(?P<name>.+)" as resource "(?P<target>.+)" does not exist',
     "la clé étrangère de la ressource « {name} » vers la ressource « {target} » ne peut pas être vérifiée : "
     "le jeu de données n'a pas cette ressource"),
    (r"a resource must be a JSON object", "une ressource doit être un objet JSON"),
    (r"foreign key to resource '(?P<name>.+)', which the package does not have",
     "clé étrangère vers la ressource « {name} », que le jeu de données n'a pas"),
    (r'matching fields by name \("fieldsMatch": "(?P<mode>\w+)"\) requires unique labels in the header',
     "associer les champs par leur nom (« fieldsMatch » : « {mode} ») demande des en-têtes tous différents"),
    # custom checks (checks/)
    (r"custom_checks must be a list", "custom_checks doit être une liste"),
    (r"custom_checks/(?P<n>\d+): each check needs a 'name'", "custom_checks/{n} : chaque vérification doit avoir un « name »"),
    (r"custom_checks/(?P<n>\d+): unknown check '(?P<name>.+)' \(known: (?P<known>.+)\)",
     "custom_checks/{n} : vérification inconnue « {name} » (connues : {known})"),
    (r"custom_checks/(?P<n>\d+) \((?P<name>[^)]+)\): (?P<detail>.+)", "custom_checks/{n} ({name}) : {detail}"),
    (r"parameter '(?P<key>.+)' must be a field name", "le paramètre « {key} » doit être un nom de champ"),
    (r"parameter '(?P<key>.+)': field '(?P<name>.+)' is not in the schema",
     "paramètre « {key} » : le champ « {name} » n'est pas dans le schéma"),
    (r"parameter '(?P<key>.+)' is required \((?P<what>.+)\)", "le paramètre « {key} » est obligatoire ({what})"),
    (r"parameter '(?P<key>.+)' must be one of (?P<choices>.+) \(got (?P<value>.+)\)",
     "le paramètre « {key} » doit valoir l'une de ces valeurs : {choices} (reçu : {value})"),
    (r"parameter '(?P<key>.+)' must be a number \(got (?P<value>.+)\)",
     "le paramètre « {key} » doit être un nombre (reçu : {value})"),
    (r"parameter '(?P<key>.+)': no COG '(?P<cog>.+)' for this code \(available: (?P<known>.+)\)",
     "paramètre « {key} » : pas de COG « {cog} » pour ce code (disponibles : {known})"),
    (r"'params' must be an object", "« params » doit être un objet"),
]
_WHAT = {"schema": "le schéma", "data package": "le jeu de données"}
#: Python's own words inside a detail (the json module's messages)
_DETAILS = [
    ("Expecting value", "valeur attendue"),
    ("Expecting property name enclosed in double quotes", "nom de propriété entre guillemets attendu"),
    ("Expecting ',' delimiter", "virgule attendue"),
    ("Expecting ':' delimiter", "deux-points attendus"),
    ("Unterminated string starting at", "chaîne non terminée commençant à"),
    ("Extra data", "données en trop"),
    ("Invalid control character at", "caractère de contrôle invalide à"),
    ("Invalid \\escape", "échappement invalide"),
]
_COMPILED = [(re.compile(rf"^{pattern}$", re.S), template) for pattern, template in NOTES]


def french(note: str) -> str:
    """The note in French: each piece translated, a ``place: `` prefix kept as it is."""
    if not note:
        return note
    pieces = note.split("; ")
    return " ; ".join(_piece(piece) for piece in pieces)


def _piece(text: str) -> str:
    translated = _translate(text)
    if translated is not None:
        return translated
    # "<place>: <note>": the place is a path, a URL or a name; only the note is words
    _, sep, rest = text.partition(": ")
    while sep:
        translated = _translate(rest)
        if translated is not None:
            return f"{text[: len(text) - len(rest) - 2]} : {translated}"
        _, sep, rest = rest.partition(": ")
    return text


def _translate(text: str):
    for pattern, template in _COMPILED:
        match = pattern.match(text)
        if match:
            values = {k: (v or "") for k, v in match.groupdict().items()}
            if "what" in values:
                values["what_fr"] = _WHAT.get(values["what"], values["what"])
            if values.get("detail"):
                values["detail"] = _detail(values["detail"])
            return template.format(**values)
    return None


def _detail(text: str) -> str:
    translated = french(text)
    for english, french_words in _DETAILS:
        translated = translated.replace(english, french_words)
    return translated
