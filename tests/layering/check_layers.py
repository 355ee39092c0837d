#!/usr/bin/env python3
"""Checks Bramble's layering: app -> ui -> models -> services, arrows down only.

Two checks:
  links     the CMake link graph (written at configure time) followed
            transitively: a services target must not reach Qt6::Gui,
            Qt6::Widgets or any models/ui/app target; a models target must
            not reach Widgets-level Qt modules or ui/app; bramblectl must not
            reach ui or Widgets.
  includes  the sources themselves: services/ includes no QtGui/QtWidgets
            header nor models/ui header; models/ includes no widget, no ui/
            header, and no I/O class (files, sockets, processes, network).
Exit status 0 when clean, 1 with one line per violation otherwise.
"""
import argparse
import os
import re
import sys

GUI_MODULES = {"Qt6::Gui", "Qt::Gui"}
WIDGET_MODULES = {"Qt6::Widgets", "Qt6::Charts", "Qt6::Svg", "Qt6::SvgWidgets", "Qt6::OpenGLWidgets",
                  "Qt6::PrintSupport", "Qt::Widgets", "Qt::Charts", "Qt::Svg"}
LAYER_RANK = {"services": 0, "models": 1, "ui": 2, "app": 3}

WIDGET_HEADER = re.compile(r'#\s*include\s*[<"](Qt(Widgets|Charts|Svg|SvgWidgets)/|Q(Widget|Application|MainWindow|Dialog|'
                           r'PushButton|Label|LineEdit|ComboBox|AbstractItemView|TableView|TreeView|ListView|'
                           r'GraphicsView|MessageBox|FileDialog|Chart\w*|SvgRenderer)\b)')
GUI_HEADER = re.compile(r'#\s*include\s*[<"](QtGui/|Q(GuiApplication|Color|Font|Icon|Pixmap|Image|Painter|Palette|'
                        r'Brush|Pen)\b)')
UPPER_HEADER = {"services": re.compile(r'#\s*include\s*"(models|ui|app)/'),
                "models": re.compile(r'#\s*include\s*"(ui|app)/')}
IO_HEADER = re.compile(r'#\s*include\s*[<"]Q(File|SaveFile|Dir|FileInfo|Process|TcpSocket|UdpSocket|LocalSocket|'
                       r'NetworkAccessManager|NetworkRequest|NetworkReply|SslSocket|Settings|FileSystemWatcher)\b')


def parse_graph(text):
    """Lines of 'target<TAB>layer<TAB>dep dep ...' -> {target: (layer, [deps])}."""
    graph = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        target, layer = parts[0], parts[1]
        deps = parts[2].split() if len(parts) > 2 else []
        graph[target] = (layer, [strip_genex(d) for d in deps if strip_genex(d)])
    return graph


def strip_genex(dep):
    # $<LINK_ONLY:x> and $<BUILD_INTERFACE:x> both still link x.
    m = re.fullmatch(r"\$<(?:LINK_ONLY|BUILD_INTERFACE):(.+)>", dep)
    return m.group(1) if m else dep


def reach(graph, start):
    """Every target and library reachable from start, with the path to it."""
    seen = {start: [start]}
    stack = [start]
    while stack:
        cur = stack.pop()
        for dep in graph.get(cur, (None, []))[1]:
            if dep not in seen:
                seen[dep] = seen[cur] + [dep]
                stack.append(dep)
    return seen


def check_links(graph):
    problems = []
    for target, (layer, _) in sorted(graph.items()):
        reached = reach(graph, target)
        for dep, path in sorted(reached.items()):
            if dep == target:
                continue
            why = None
            dep_layer = graph.get(dep, (None,))[0]
            if dep_layer in LAYER_RANK and layer in LAYER_RANK and LAYER_RANK[dep_layer] > LAYER_RANK[layer]:
                why = f"{layer} target reaches the higher layer {dep_layer}"
            elif layer == "services" and dep in GUI_MODULES | WIDGET_MODULES:
                why = "services must link Qt6::Core and Qt6::Network only"
            elif layer == "models" and dep in WIDGET_MODULES:
                why = "models may use Qt6::Gui at most"
            elif target == "bramblectl" and (dep in WIDGET_MODULES or dep_layer == "ui"):
                why = "bramblectl must not link ui/ or Widgets"
            if why:
                problems.append(f"{target} -> {dep} ({' -> '.join(path)}): {why}")
    return problems


def check_includes(source_dir):
    problems = []
    rules = {"services": [WIDGET_HEADER, GUI_HEADER, UPPER_HEADER["services"]],
             "models": [WIDGET_HEADER, UPPER_HEADER["models"], IO_HEADER]}
    for layer, patterns in rules.items():
        root = os.path.join(source_dir, layer)
        for dirpath, _, files in os.walk(root):
            for name in sorted(files):
                if not name.endswith((".h", ".hpp", ".cpp", ".cc")):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    for lineno, line in enumerate(f, 1):
                        for pattern in patterns:
                            if pattern.search(line):
                                rel = os.path.relpath(path, source_dir)
                                problems.append(f"{rel}:{lineno}: {layer} must not include this: {line.strip()}")
    return problems


def self_test():
    """The checker must catch each kind of violation and pass a clean graph."""
    clean = parse_graph("bramble_core\tservices\tQt6::Core\n"
                        "bramble_kube\tservices\tbramble_core Qt6::Network $<LINK_ONLY:yaml-cpp>\n"
                        "bramble_models\tmodels\tbramble_kube Qt6::Gui\n"
                        "bramble_ui\tui\tbramble_models Qt6::Widgets\n"
                        "bramblectl\tapp\tbramble_kube\n"
                        "bramble\tapp\tbramble_ui\n")
    assert check_links(clean) == [], check_links(clean)
    cases = {
        "service links Widgets": "bramble_core\tservices\tQt6::Core\nbramble_kube\tservices\tbramble_core Qt6::Widgets\n",
        "service links Widgets privately": "bramble_kube\tservices\t$<LINK_ONLY:Qt6::Widgets>\n",
        "service reaches Widgets transitively": "bramble_kube\tservices\thelper\nhelper\tservices\tQt6::Charts\n",
        "service links Gui": "bramble_kube\tservices\tQt6::Gui\n",
        "service links models": "bramble_kube\tservices\tbramble_models\nbramble_models\tmodels\tQt6::Gui\n",
        "model links Widgets": "bramble_models\tmodels\tQt6::Widgets\n",
        "model links ui": "bramble_models\tmodels\tbramble_ui\nbramble_ui\tui\tQt6::Widgets\n",
        "bramblectl links ui": "bramblectl\tapp\tbramble_ui\nbramble_ui\tui\tQt6::Core\n",
    }
    for name, text in cases.items():
        assert check_links(parse_graph(text)), f"not caught: {name}"
    for line, pattern in [('#include <QWidget>', WIDGET_HEADER), ('#include <QtWidgets/QLabel>', WIDGET_HEADER),
                          ('#include <QPainter>', GUI_HEADER), ('#include "ui/shell/mainwindow.h"', UPPER_HEADER["services"]),
                          ('#include <QFile>', IO_HEADER), ('#include <QNetworkAccessManager>', IO_HEADER)]:
        assert pattern.search(line), f"include not caught: {line}"
    for line in ['#include <QString>', '#include <QAbstractItemModel>', '#include "core/error.h"']:
        assert not any(p.search(line) for p in (WIDGET_HEADER, GUI_HEADER, IO_HEADER)), f"false alarm: {line}"
    print(f"self-test passed: clean graph accepted, {len(cases)} link violations and 6 include violations caught")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph")
    ap.add_argument("--source")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    if not args.graph or not args.source:
        ap.error("--graph and --source are required")
    with open(args.graph, encoding="utf-8") as f:
        graph = parse_graph(f.read())
    if not graph:
        print("no layered targets recorded: bramble_layer() was never called", file=sys.stderr)
        return 1
    problems = check_links(graph) + check_includes(args.source)
    for p in problems:
        print(p)
    layers = {}
    for layer, _ in graph.values():
        layers[layer] = layers.get(layer, 0) + 1
    summary = ", ".join(f"{n} {layer}" for layer, n in sorted(layers.items()))
    print(f"{len(graph)} targets checked ({summary}): {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
