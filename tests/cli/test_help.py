"""The command speaks French under a French locale or ``--lang fr``: help, headings, counts."""
from __future__ import annotations

from territoria.cli import build_parser, main
from territoria.cli.french import untranslated


def test_every_help_text_has_its_french():
    assert untranslated(build_parser()) == []


def test_help_in_french(capsys):
    assert main(["validate", "--help", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("utilisation : territoria validate")
    assert "schéma : chemin, adresse, ou nom du catalogue" in out and "afficher cette aide et quitter" in out


def test_help_follows_the_locale(capsys, monkeypatch):
    monkeypatch.setenv("TERRITORIA_LANG", "fr_FR.UTF-8")
    assert main(["--help"]) == 0
    assert "valider des fichiers de données avec un schéma" in capsys.readouterr().out
    monkeypatch.setenv("TERRITORIA_LANG", "en")
    assert main(["--help"]) == 0
    assert "validate data files against a schema" in capsys.readouterr().out


def test_schemas_show_headings_in_french(capsys):
    assert main(["schemas", "show", "waste-fill-level/containers@3.0.0", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "champ" in out and "obligatoire" in out and "exemple" in out and "required" not in out


def test_french_counts_agree(tmp_path, capsys):
    (tmp_path / "a.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("a\n", encoding="utf-8")
    main(["validate", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--lang", "fr"])
    out = capsys.readouterr().out
    assert "1 ligne, 0 erreur" in out and "2 fichiers vérifiés : 2 valides, 0 invalide, 0 non vérifiable." in out
    assert "(s)" not in out
