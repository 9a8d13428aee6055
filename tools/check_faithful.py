"""Quick transcription check: every text field of a plan YAML must occur in its seed
(whitespace removed). Usage: python3 tools/check_faithful.py content/plans/D/Y.yaml"""
import re, sys, yaml
TEXT_KEYS = {"title", "subtitle", "issuer", "publicity", "follows", "notice", "intro", "closing",
             "text", "label", "responsibility", "supporting", "words"}
ARTIFACTS = ["[bookmark: _GoBack]"]
def squash(s):
    for a in ARTIFACTS:
        s = s.replace(a, "")
    return re.sub(r"\s+", "", s)
def walk(node, path, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in TEXT_KEYS and isinstance(v, str):
                out.append((path + "." + k, v))
            else:
                walk(v, path + "." + str(k), out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, f"{path}[{i}]", out)
plan = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
seed = squash(open("content/sources/" + plan["source"]["file"], encoding="utf-8").read())
fields = []
walk(plan, "", fields)
bad = 0
for path, text in fields:
    for para in text.split("\n"):
        if squash(para) and squash(para) not in seed:
            bad += 1
            print(f"NOT IN SEED {path}: {para[:80]}")
han = lambda s: re.findall(r"[\u4e00-\u9fff]", s)
allyaml = squash("".join(t for _, t in fields))
# coverage: share of the seed's Chinese characters inside some 6-gram that also occurs in the YAML text
grams = {allyaml[i:i+6] for i in range(len(allyaml) - 5)}
covered = [False] * len(seed)
for i in range(len(seed) - 5):
    if seed[i:i+6] in grams:
        for j in range(i, i + 6): covered[j] = True
tot = sum(1 for c in seed if "\u4e00" <= c <= "\u9fff")
cov = sum(1 for i, c in enumerate(seed) if "\u4e00" <= c <= "\u9fff" and covered[i])
print(f"{len(fields)} text fields, {bad} not found; coverage {cov}/{tot} = {cov/tot:.1%}")
