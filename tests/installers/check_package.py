#!/usr/bin/env python3
"""The .deb as users get it: `cpack -G DEB` on the build, then its file list,
its control fields, and bramblectl run from the unpacked package.

Exit 0 when the package is right, 1 with what is wrong, 77 (ctest: skipped)
when cpack or dpkg-deb is not installed.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile


def fail(msg):
    print(f"check_package: {msg}")
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--cpack", default=shutil.which("cpack"))
    args = ap.parse_args()
    if not args.cpack or not shutil.which("dpkg-deb"):
        print("check_package: skipped: needs cpack and dpkg-deb (Debian packages cmake and dpkg)")
        return 77
    config = os.path.join(args.build, "CPackConfig.cmake")
    if not os.path.exists(config):
        fail(f"{config} is missing: configure the build first")

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        proc = subprocess.run([args.cpack, "-G", "DEB", "--config", config, "-B", out],
                              cwd=args.build, capture_output=True, text=True)
        if proc.returncode != 0:
            fail(f"cpack failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        debs = glob.glob(os.path.join(out, "*.deb"))
        if len(debs) != 1:
            fail(f"expected one .deb in {out}, found {debs}")
        deb = debs[0]
        name = os.path.basename(deb)
        arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
        if not name.startswith("bramble_") or not name.endswith(f"-1_{arch}.deb"):
            fail(f"{name}: not the Debian file name bramble_<version>-1_{arch}.deb")

        listing = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True).stdout
        files = {line.split()[-1].lstrip(".") for line in listing.splitlines() if line.strip()}
        want = [
            "/usr/bin/bramble",
            "/usr/bin/bramblectl",
            "/usr/share/applications/bramble.desktop",
            "/usr/share/icons/hicolor/scalable/apps/bramble.svg",
            "/usr/share/icons/hicolor/48x48/apps/bramble.png",
            "/usr/share/icons/hicolor/256x256/apps/bramble.png",
            "/usr/share/man/man1/bramblectl.1.gz",
            "/usr/share/man/man1/bramble.1.gz",
            "/usr/share/bash-completion/completions/bramblectl",
            "/usr/share/bash-completion/completions/bramble",
            "/usr/share/zsh/vendor-completions/_bramblectl",
            "/usr/share/fish/vendor_completions.d/bramblectl.fish",
            "/usr/share/doc/bramble/copyright",
        ]
        missing = [f for f in want if f not in files]
        if missing:
            fail("missing from the package: " + ", ".join(missing))
        stray = [f for f in files if any(s in f for s in ("tst_", "fake", "/tests/", "testdata", "bramble-render-icon"))]
        if stray:
            fail("test programs, fakes or build tools in the package: " + ", ".join(sorted(stray)))

        fields = {}
        for key in ("Package", "Version", "Architecture", "Maintainer", "Section", "Depends", "Description"):
            fields[key] = subprocess.run(["dpkg-deb", "-f", deb, key], capture_output=True, text=True).stdout.strip()
        if fields["Package"] != "bramble":
            fail(f"Package is {fields['Package']!r}")
        if fields["Section"] != "admin" or not fields["Maintainer"] or not fields["Description"]:
            fail(f"control fields incomplete: {fields}")
        depends = fields["Depends"]
        for lib in ("libqt6core6", "libqt6widgets6", "libqt6network6", "libyaml-cpp0.7", "libqt6svg6"):
            if lib not in depends:
                fail(f"Depends lacks {lib} (dpkg-shlibdeps should find it): {depends}")

        root = os.path.join(tmp, "root")
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
        ctl = os.path.join(root, "usr", "bin", "bramblectl")
        proc = subprocess.run([ctl, "version"], capture_output=True, text=True, timeout=60)
        if proc.returncode != 0 or not proc.stdout.startswith("bramblectl " + fields["Version"].split("-")[0]):
            fail(f"the packaged bramblectl does not run: {proc.returncode} {proc.stdout!r} {proc.stderr!r}")
        size = os.path.getsize(deb)
        print(f"check_package: {name}: {len(files)} entries, {size / 1e6:.1f} MB, Depends: {depends}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
