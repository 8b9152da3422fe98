"""
Resolves package specs with dnf (libsolv) against local copies of
repositories, for osbuild-depsolve-dnf. Reads one JSON request on stdin:

  {"root", "cachedir", "releasever", "arch",
   "repositories": [{"id", "baseurl"}],
   "packages": [spec...], "exclude": [spec...], "install_weak_deps": bool}

and prints one JSON document on stdout:

  {"packages": [{"name", "epoch", "version", "release", "arch", "repo",
                 "location", "checksum", "size"}]}       (sorted by NEVRA)
  {"error": {"kind": "unknown-packages", "names": [...], "message"}}
  {"error": {"kind": "depsolve" | "repository", "message"}}

dnf runs as `dnf --installroot <root> --setopt=reposdir= --releasever
<releasever>` would: a private, empty root, no host configuration and no
host repositories; nothing is downloaded but what the local copies hold.
"""

import json
import os
import sys

import dnf
import dnf.exceptions
import hawkey


def fail(kind, message, **extra):
    json.dump({"error": dict(kind=kind, message=message, **extra)}, sys.stdout)
    sys.stdout.write("\n")
    sys.exit(0)


def make_base(request):
    base = dnf.Base()
    conf = base.conf
    conf.config_file_path = "/dev/null"
    conf.installroot = request["root"]
    conf.reposdir = []
    conf.cachedir = request["cachedir"]
    conf.persistdir = request["cachedir"] + "/persist"
    conf.logdir = request["cachedir"] + "/log"
    for directory in (conf.persistdir, conf.logdir):
        os.makedirs(directory, exist_ok=True)
    conf.zchunk = False
    conf.install_weak_deps = bool(request.get("install_weak_deps", False))
    conf.substitutions["arch"] = request["arch"]
    conf.substitutions["basearch"] = dnf.rpm.basearch(request["arch"])
    conf.substitutions["releasever"] = request["releasever"]
    for desc in request["repositories"]:
        repo = dnf.repo.Repo(desc["id"], conf)
        repo.baseurl = [desc["baseurl"]]
        # The local copy was verified by checksum on the way in.
        repo.gpgcheck = False
        repo.repo_gpgcheck = False
        base.repos.add(repo)
    return base


def package_entry(pkg):
    checksum = pkg.chksum
    algorithm = hawkey.chksum_name(checksum[0]) if checksum else None
    return {
        "name": pkg.name,
        "epoch": int(pkg.epoch),
        "version": pkg.version,
        "release": pkg.release,
        "arch": pkg.arch,
        "repo": pkg.repoid,
        "location": pkg.location,
        "base": pkg.baseurl or None,
        "checksum": f"{algorithm}:{checksum[1].hex()}" if algorithm else None,
        "size": pkg.downloadsize,
    }


def main():
    request = json.load(sys.stdin)
    base = make_base(request)
    try:
        base.fill_sack(load_system_repo=False)
    except dnf.exceptions.RepoError as error:
        fail("repository", str(error))
    try:
        base.install_specs(request["packages"], request.get("exclude") or [])
    except dnf.exceptions.MarkingErrors as error:
        unknown = list(error.no_match_pkg_specs) + list(error.no_match_group_specs)
        if unknown:
            fail("unknown-packages", f"no package matches {', '.join(unknown)}", names=unknown)
        fail("depsolve", str(error))
    try:
        base.resolve()
    except dnf.exceptions.DepsolveError as error:
        fail("depsolve", str(error))
    packages = sorted(base.transaction.install_set, key=lambda p: (p.name, p.evr, p.arch))
    json.dump({"packages": [package_entry(p) for p in packages]}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
