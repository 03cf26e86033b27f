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
    (r"(?P<where>.+): (?P<what>schema|data package) no such file", "{where} : {what_bare} introuvable"),
    (r"(?P<where>.+): is a directory, not a data file", "{where} : c'est un dossier, pas un fichier de données"),
    (r"(?P<where>.+?): (?:(?P<what>schema|data package) )?is a directory, not a JSON file",
     "{where} : c'est un dossier, pas un fichier JSON"),
    (r"(?P<where>.+?): (?:(?P<what>schema|data package) )?is not a regular file \(a pipe or a device\), not read",
     "{where} : ce n'est pas un fichier ordinaire (un tube ou un périphérique) ; il n'a pas été lu"),
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
    (r"invalid (?P<kind>\w+) file: (?P<detail>.+)", "fichier {kind} invalide : {detail}"),
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
    # bounds (readers/policy.py limits, readers/compressed.py)
    (r"row (?P<row>\d+) has (?P<size>\d+) cells or more, more than the (?P<max>\d+) allowed \(limit (?P<limit>\w+)\)",
     "la ligne {row} a au moins {size} cellules, plus que les {max} permises (limite {limit})"),
    (r"row (?P<row>\d+) has (?P<size>\d+) cells, more than the (?P<max>\d+) allowed \(limit (?P<limit>\w+)\)",
     "la ligne {row} a {size} cellules, plus que les {max} permises (limite {limit})"),
    (r"row (?P<row>\d+) has a cell of more than (?P<max>\d+) bytes \(limit (?P<limit>\w+)\)",
     "la ligne {row} a une cellule de plus de {max} octets (limite {limit})"),
    (r"line (?P<line>\d+) is longer than (?P<max>\d+) bytes \(limit (?P<limit>\w+)\)",
     "la ligne {line} dépasse {max} octets (limite {limit})"),
    (r"item (?P<item>\d+) of the array is longer than (?P<max>\d+) bytes \(limit (?P<limit>\w+)\)",
     "l'élément {item} du tableau dépasse {max} octets (limite {limit})"),
    (r"more than (?P<max>\d+) cells by row (?P<row>\d+) \(limit (?P<limit>\w+)\)",
     "plus de {max} cellules dès la ligne {row} (limite {limit})"),
    (r"expands to more than (?P<max>\d+) bytes \(limit (?P<limit>\w+)\)",
     "se décompresse en plus de {max} octets (limite {limit})"),
    (r"expands more than (?P<ratio>[\d.]+) times its size \(limit (?P<limit>\w+)\): a compression bomb\?",
     "grossit plus de {ratio} fois sa taille en se décompressant (limite {limit}) : une bombe de décompression ?"),
    (r"the (?P<what>\S+) archive (?P<problem>.+)", "l'archive {what} {problem_fr}"),
    (r"the compressed file (?P<problem>.+)", "le fichier compressé {problem_fr}"),
    (r"the (?P<what>\S+) part (?P<part>.+) expands to (?P<size>\d+) bytes, more than the (?P<max>\d+) read whole "
     r"\(limit (?P<limit>\w+)\)",
     "la partie {part} de l'archive {what} se décompresse en {size} octets, plus que les {max} lus d'un bloc "
     "(limite {limit})"),
    (r"(?P<member>[^:]+) (?P<problem>expands .+)", "{member} {problem_fr}"),
    (r"a zip archive must hold exactly one table file, this one holds (?P<count>\d+) \((?P<names>.*)\)",
     "une archive zip doit contenir exactement un fichier de table, celle-ci en contient {count} ({names})"),
    (r"damaged zip archive \((?P<detail>.+)\)", "archive zip endommagée ({detail})"),
    (r"damaged (?P<kind>\w+) file \((?P<detail>.+)\)", "fichier {kind} endommagé ({detail})"),
    (r"the archive holds (?P<count>\d+) members, more than (?P<max>\d+)",
     "l'archive contient {count} fichiers, plus que {max}"),
    (r"the member (?P<name>.+) is given twice", "le fichier {name} figure deux fois dans l'archive"),
    (r"the member (?P<name>.+) is a symbolic link", "le fichier {name} de l'archive est un lien symbolique"),
    (r"the member name '(?P<name>.*)' is not a relative path",
     "le nom « {name} » d'un fichier de l'archive n'est pas un chemin relatif"),
    (r"the member name '(?P<name>.*)' leads outside the archive",
     "le nom « {name} » d'un fichier de l'archive mène hors de l'archive"),
    (r"the archive (?P<problem>.+)", "l'archive {problem_fr}"),
    (r"no space left on the disk to decompress it", "plus de place sur le disque pour le décompresser"),
    (r"no space left on the disk for the download", "plus de place sur le disque pour le téléchargement"),
    (r"the workbook has (?P<count>\d+) sheets, more than the (?P<max>\d+) --sheet all reads",
     "le classeur a {count} feuilles, plus que les {max} que lit --sheet all"),
    (r'(?P<kind>Excel|OpenOffice) document "(?P<name>.*)" does not have a sheet "(?P<sheet>.*)"',
     "le classeur {kind} « {name} » n'a pas de feuille « {sheet} »"),
    (r'cannot extract JSON tabular data from "(?P<what>.*)"',
     "impossible d'extraire un tableau de données JSON de « {what} »"),
    (r"resource '(?P<name>.+)': inline data must be a non-empty list of rows",
     "ressource « {name} » : les données en ligne (data) doivent être une liste de lignes non vide"),
    (r"the source is nested too deeply to be read", "la source est trop profondément imbriquée pour être lue"),
    # paths and addresses (readers/trust.py, readers/remote.py)
    (r"an empty path", "un chemin vide"),
    (r"(?P<location>.+?): only http\(s\) addresses and relative paths are read",
     "{location} : seuls les adresses http(s) et les chemins relatifs sont lus"),
    (r"(?P<location>.+) is outside the descriptor's folder (?P<folder>.+)",
     "{location} est hors du dossier du descripteur {folder}"),
    (r"(?P<location>.+) is a local path, and the descriptor was read from a URL \(it may only name URLs\)",
     "{location} est un chemin local, alors que le descripteur a été lu depuis une adresse (il ne peut nommer "
     "que des adresses)"),
    (r"(?P<how>--allow-private-network.*) allows it", "{how} l'autorise"),
    (r"(?P<host>\S+) is a non-public address \((?P<address>[^)]+)\)",
     "{host} est une adresse non publique ({address})"),
    (r"only http\(s\) addresses are fetched", "seules les adresses http(s) sont téléchargées"),
    (r"the download took longer than (?P<seconds>[\d.]+) s", "le téléchargement a pris plus de {seconds} s"),
    # territoria fix (fix/inputs.py, fix/mapping.py)
    (r"give the path of the copy to write \(--output\)", "donnez le chemin de la copie à écrire (--output)"),
    (r"give the schema the copy must follow \(--schema\)", "donnez le schéma que la copie doit suivre (--schema)"),
    (r"--log and --output must be two files", "--log et --output doivent être deux fichiers différents"),
    (r"the folder (?P<folder>.+) does not exist", "le dossier {folder} n'existe pas"),
    (r"is a directory \((?P<flag>\S+) names the file to write\)",
     "c'est un dossier ({flag} nomme le fichier à écrire)"),
    (r"(?P<flag>\S+) may not be the source, which is only ever read",
     "{flag} ne peut pas être la source, qui n'est jamais que lue"),
    (r"(?P<flag>\S+) may not be the schema, which is only ever read",
     "{flag} ne peut pas être le schéma, qui n'est jamais que lu"),
    (r"(?P<flag>\S+) may not be the mapping file, which is only ever read",
     "{flag} ne peut pas être le fichier de correspondance, qui n'est jamais que lu"),
    (r"--timezone '(?P<name>.*)': not a time zone of the IANA database \(like Europe/Paris\)",
     "--timezone « {name} » : ce n'est pas un fuseau de la base IANA (comme Europe/Paris)"),
    (r"a mapping is a set of sections \((?P<names>.*)\)",
     "un fichier de correspondance est un ensemble de sections ({names})"),
    (r"unknown section '(?P<name>.*)' \(expected: (?P<names>.*)\)",
     "section inconnue « {name} » (attendues : {names})"),
    (r"(?P<section>[\w/]+): expected a set of 'key: value' lines",
     "{section} : des lignes « clé: valeur » sont attendues"),
    (r"a mapping file is at most (?P<size>\d+) KB", "un fichier de correspondance fait au plus {size} Ko"),
    (r"cannot be read \((?P<detail>.+)\)", "illisible ({detail})"),
    (r"not UTF-8 text", "ce n'est pas du texte UTF-8"),
    (r"not valid YAML(?P<detail>.*)", "ce n'est pas du YAML valide{detail}"),
    (r"columns/(?P<column>.+): '(?P<name>.*)' is not a field of the schema",
     "columns/{column} : « {name} » n'est pas un champ du schéma"),
    (r"(?P<section>\w+)/(?P<name>.+): neither a field of the schema nor a renamed column",
     "{section}/{name} : ni un champ du schéma, ni une colonne renommée"),
    (r"codes/(?P<field>.+): expected \{source code: schema code\}",
     "codes/{field} : une table {{code de la source: code du schéma}} est attendue"),
    (r"codes/(?P<field>.+?)/(?P<code>.+): '(?P<value>.*)' is not a code of (?P<name>.+)",
     "codes/{field}/{code} : « {value} » n'est pas un code de {name}"),
    (r"units/(?P<field>.+): (?P<name>.+) is not a number field",
     "units/{field} : {name} n'est pas un champ numérique"),
    (r"units/(?P<field>.+): the field (?P<name>.+) declares no unit to convert to",
     "units/{field} : le champ {name} ne déclare aucune unité vers laquelle convertir"),
    (r"constants/(?P<field>.+): a constant is one value", "constants/{field} : une constante est une seule valeur"),
    # the mapping format's other keys (fix/mapping.py, fix/reshape.py): "<file>: <key>: <problem>"
    (r"the column feeds several fields \((?P<names>.*)\): name the field",
     "la colonne alimente plusieurs champs ({names}) : nommez le champ"),
    (r"the column is also named in (?P<section>\S+)", "la colonne est aussi nommée dans {section}"),
    (r"expected a path relative to the mapping's folder",
     "un chemin relatif au dossier du fichier de correspondance est attendu"),
    (r"expected a text of 1 to (?P<n>\d+) characters", "un texte de 1 à {n} caractères est attendu"),
    (r"expected a text", "un texte est attendu"),
    (r"expected a list of at most (?P<n>\d+) texts", "une liste d'au plus {n} textes est attendue"),
    (r"expected a whole number from (?P<low>\d+) to (?P<high>\d+)", "un nombre entier de {low} à {high} est attendu"),
    (r"expected a field, or a list of 1 to (?P<n>\d+) fields", "un champ, ou une liste de 1 à {n} champs, est attendu"),
    (r"expected upper or lower", "upper ou lower est attendu"),
    (r"expected a count of decimals, or \{max: a count\}",
     "un nombre de décimales, ou {{max: un nombre}}, est attendu"),
    (r"expected \{field: value\}", "{{champ: valeur}} est attendu"),
    (r"expected separator \(a text\) and into \(the fields of the parts, ~ for a part left out\)",
     "« separator » (un texte) et « into » (les champs des parties, ~ pour une partie écartée) sont attendus"),
    (r"expected a list of (?P<low>\d+) to (?P<high>\d+) fields \(~ for a part left out\)",
     "une liste de {low} à {high} champs est attendue (~ pour une partie écartée)"),
    (r"expected value \(the field of the cells\) and columns \(source label: \{field: value\}\)",
     "« value » (le champ des cellules) et « columns » (libellé de la source : {{champ: valeur}}) sont attendus"),
    (r"a constant is one value, or value and when \(one source label: its values\)",
     "une constante est une seule valeur, ou « value » et « when » (un libellé de la source : ses valeurs)"),
    (r"'?(?P<name>[^']*)'? is not a field of the schema", "« {name} » n'est pas un champ du schéma"),
    (r"'(?P<value>.*)' is not a code of (?P<name>.+)", "« {value} » n'est pas un code de {name}"),
    (r"(?P<name>\S+) is not a number field", "{name} n'est pas un champ numérique"),
    (r"(?P<name>\S+) is not a string field", "{name} n'est pas un champ texte"),
    (r"(?P<name>\S+) is not a date-time field", "{name} n'est pas un champ date et heure"),
    (r"the field (?P<name>\S+) is already filled by (?P<key>.+)", "le champ {name} est déjà rempli par {key}"),
    (r"'?(?P<value>[^']*)'? is not an ISO 8601 duration of days and hours \(like PT1H or P1D\)",
     "« {value} » n'est pas une durée ISO 8601 en jours et heures (comme PT1H ou P1D)"),
    (r"unknown key '(?P<name>.*)' \(expected: (?P<names>.*)\)", "clé inconnue « {name} » (attendues : « {names} »)"),
    (r"'(?P<name>.*)' is not a time zone of the IANA database \(like Europe/Paris\)",
     "« {name} » n'est pas un fuseau de la base IANA (comme Europe/Paris)"),
    (r"a delimiter is one character, other than a quote or a line break",
     "un séparateur est un seul caractère, autre qu'un guillemet ou un saut de ligne"),
    (r"no column '?(?P<label>.*?)'? in the source", "la source n'a pas de colonne « {label} »"),
    (r"aliases \(\*name\) are not accepted(?P<detail>.*)", "les alias (*nom) ne sont pas acceptés{detail}"),
    (r"give the file to repair \(FILE, or source/file in the mapping\)",
     "donnez le fichier à réparer (FICHIER, ou source/file dans le fichier de correspondance)"),
    # a header row chosen by a mapping (readers/csv_reader.py, readers/open.py, readers/spreadsheet.py)
    (r"the file has no line (?P<n>\d+) to read the column names from",
     "le fichier n'a pas de ligne {n} où lire les noms des colonnes"),
    (r"a header on line (?P<n>\d+) is read only in UTF-8 or an 8-bit encoding, not (?P<encoding>.+)",
     "un en-tête à la ligne {n} n'est lu qu'en UTF-8 ou dans un encodage sur 8 bits, pas en {encoding}"),
    (r"a (?P<format>\w+) file has no header row to choose", "un fichier {format} n'a pas de ligne d'en-tête à choisir"),
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
    (r"(?P<url>\S+): not fetched \(this run reads nothing from the network\)",
     "{url} : non téléchargée (cette vérification ne lit rien sur le réseau)"),
    # the local page (ui/)
    (r"the files sent are larger than (?P<size>\d+) MiB, the page's limit",
     "les fichiers envoyés dépassent {size} Mio, la limite de la page"),
    (r"no file was sent", "aucun fichier n'a été envoyé"),
    (r"more than (?P<count>\d+) files were sent at once", "plus de {count} fichiers ont été envoyés à la fois"),
    (r"the form is not multipart/form-data", "le formulaire n'est pas en multipart/form-data"),
    (r"the form could not be read: (?P<detail>.+)", "le formulaire n'a pas pu être lu : {detail}"),
    (r"the field '(?P<name>.+)' is larger than (?P<size>\d+) KiB", "le champ « {name} » dépasse {size} Kio"),
    (r"the schema must be a catalogue name or the JSON text of a schema \(got (?P<got>.*)\)",
     "le schéma doit être un nom du catalogue ou le texte JSON d'un schéma (reçu : {got})"),
    (r"the repair needs a schema", "la réparation demande un schéma"),
    (r"the repair takes table files, not a data package: send the package's files",
     "la réparation porte sur des fichiers de tableau, pas sur un paquet de données : envoyez les fichiers du paquet"),
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
    (r"(?P<what>schema|data package) not found", "{what_bare} introuvable"),
    (r"(?P<what>schema|data package) is not a regular file \(a pipe or a device\), not read",
     "{what_fr} n'est pas un fichier ordinaire (un tube ou un périphérique) ; il n'a pas été lu"),
    (r"(?P<what>schema|data package) is larger than (?P<size>\d+) bytes", "{what_fr} dépasse {size} octets"),
    (r"(?P<what>schema|data package) cannot be read \((?P<detail>.+)\)", "{what_fr} est illisible ({detail})"),
    (r"(?P<what>schema|data package) is nested too deeply to be read",
     "{what_fr} est trop profondément imbriqué pour être lu"),
    (r"a resource's schema must be a path, a URL or an object",
     "le schéma d'une ressource doit être un chemin, une adresse ou un objet"),
    (r"(?P<attribute>[\w-]+) '(?P<value>.*)' is not a whole number", "{attribute} « {value} » n'est pas un nombre entier"),
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
    (r'severity must be "error" or "warning" \(got (?P<value>.+)\)',
     "severity doit valoir « error » ou « warning » (reçu : {value})"),
    (r"parameter '(?P<key>.+)' must be an object \((?P<what>.+)\)",
     "le paramètre « {key} » doit être un objet ({what})"),
    (r"parameter '(?P<key>.+)': constraint '(?P<name>.+)' is not one a row may be held to \(known: (?P<known>.+)\)",
     "paramètre « {key} » : « {name} » n'est pas une contrainte applicable à une ligne (connues : {known})"),
    (r"parameter '(?P<key>.+)': constraint \"(?P<name>\w+)\" is \"(?P<value>.*)\": the bound is not a number",
     "paramètre « {key} » : la contrainte « {name} » vaut « {value} » : cette borne n'est pas un nombre"),
    (r"parameter '(?P<key>.+)': constraint \"(?P<name>\w+)\" is \"(?P<value>.*)\": the bound is not a valid (?P<type>\w+)",
     "paramètre « {key} » : la contrainte « {name} » vaut « {value} » : cette borne n'est pas un(e) {type} valide"),
    (r"parameter '(?P<key>.+)': constraint \"(?P<name>\w+)\" is not supported by type \"(?P<type>\w+)\"",
     "paramètre « {key} » : la contrainte « {name} » ne s'applique pas au type « {type} »"),
    (r"parameter '(?P<key>.+)' must name at least one value", "le paramètre « {key} » doit nommer au moins une valeur"),
]
_WHAT = {"schema": "le schéma", "data package": "le jeu de données"}
_WHAT_BARE = {"schema": "schéma", "data package": "jeu de données"}
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
    ("(line ", "(ligne "),
]
_COMPILED = [(re.compile(rf"^{pattern}$", re.S), template) for pattern, template in NOTES]


def french(note: str) -> str:
    """The note in French: each piece translated, a ``place: `` prefix kept as it is."""
    if not note:
        return note
    whole = _translate(note)
    if whole is not None:
        return whole
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
            return f"{text[: len(text) - len(rest) - 2].replace(': ', ' : ')} : {translated}"
        _, sep, rest = rest.partition(": ")
    return text


def _translate(text: str):
    for pattern, template in _COMPILED:
        match = pattern.match(text)
        if match:
            values = {k: (v or "") for k, v in match.groupdict().items()}
            if "what" in values:
                values["what_fr"] = _WHAT.get(values["what"], values["what"])
                values["what_bare"] = _WHAT_BARE.get(values["what"], values["what"])
            if "problem" in values:
                values["problem_fr"] = _translate(values["problem"]) or values["problem"]
            if values.get("detail"):
                values["detail"] = _detail(values["detail"])
            return template.format(**values)
    return None


def _detail(text: str) -> str:
    translated = french(text)
    for english, french_words in _DETAILS:
        translated = translated.replace(english, french_words)
    return translated
