"""Rule documentation from one source: kinds' docstrings and OPTIONS, and the packs' own fields.

Used by ``checker rules list``, ``checker explain ID`` and ``docs/rules.md``
(``python -m checker.docs > docs/rules.md`` or ``checker rules docs -o docs/rules.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType

from checker.packs import Pack, Rule, bundled_pack_names, load_pack
from checker.schema import json_type, option_docs


@dataclass(frozen=True)
class KindDoc:
    name: str
    summary: str  # first line after "name — "
    body: str  # the docstring without its first line
    passing: str | None
    failing: str | None


def kind_doc(name: str, kind: ModuleType) -> KindDoc:
    doc = (kind.__doc__ or "").strip()
    first, _, body = doc.partition("\n")
    summary = re.sub(rf"^{re.escape(name)}\s*[—–-]+\s*", "", first.strip())
    passing = failing = None
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith(("Passing:", "Pass:")):
            passing = stripped.split(":", 1)[1].strip()
        elif stripped.startswith(("Failing:", "Fail:")):
            failing = stripped.split(":", 1)[1].strip()
    return KindDoc(name, summary, body.strip("\n"), passing, failing)


def _primary(name: str, kind: ModuleType) -> bool:
    """Whether the kind's docstring is written under this name (``name — summary``)."""
    return (kind.__doc__ or "").lstrip().startswith(name + " ")


def kinds() -> dict[str, ModuleType]:
    from checker.kinds import KINDS

    return dict(sorted(KINDS.items()))


def one_line(rule: Rule) -> str:
    """A rule in one line: its description, else its message with placeholders shown as …."""
    if rule.description:
        return " ".join(rule.description.split())
    text = re.sub(r"\{[^{}]*\}", "…", rule.message)
    if len(re.sub(r"[\W…]", "", text)) < 4:  # a bare "{problem}" message says nothing on its own
        text = kind_doc(rule.kind, kinds()[rule.kind]).summary
    return " ".join(text.split())


def examples(rule: Rule) -> tuple[str | None, str | None]:
    doc = kind_doc(rule.kind, kinds()[rule.kind])
    return rule.examples.get("pass") or doc.passing, rule.examples.get("fail") or doc.failing


def explain_text(pack: Pack, rule_id: str) -> str:
    """Plain-text explanation of one rule (``checker explain``)."""
    rule = pack.rule(rule_id)
    doc = kind_doc(rule.kind, kinds()[rule.kind])
    passing, failing = examples(rule)
    lines = [f"{rule.id}  [{rule.kind} · {rule.severity.chinese} {rule.severity.label} · 权重 {rule.weight:g}]",
             "", f"检查什么 (what it checks): {rule.description or doc.summary}"]
    if rule.scope:
        lines.append(f"范围 (scope): {rule.scope}")
    if rule.from_year is not None or rule.until_year is not None:
        years = "—".join(str(y) if y is not None else "" for y in (rule.from_year, rule.until_year))
        unknown = "按正文写到的最晚年份" if rule.guess_year else "不检查"
        lines.append(f"适用年度 (years): {years}（报告未写年度时{unknown}）")
    if rule.skip_cited_titles:
        lines.append("被引文件标题《…》之内不报 (skip_cited_titles)")
    lines.append(f"提示语 (message): {rule.message}")
    if rule.suggestion:
        lines.append(f"修改建议 (suggestion): {rule.suggestion}")
    lines.append(f"依据 (legal basis): {rule.basis or '—'}")
    if rule.link:
        lines.append(f"链接 (link): {rule.link}")
    if passing:
        lines.append(f"通过示例 (passes): {passing}")
    if failing:
        lines.append(f"不通过示例 (fails): {failing}")
    shown = {k: v for k, v in rule.options.items() if v not in (None, [], {}, "")}
    if shown:
        lines.append("选项 (options): " + "; ".join(f"{k}={_short(v)}" for k, v in shown.items()))
    lines.append(f"定义于 (defined in): {rule.origin}  规则包 (pack): {pack.name}")
    lines += ["", f"规则类型 {rule.kind} (kind documentation):", doc.body or doc.summary]
    return "\n".join(lines)


def _short(value: object, limit: int = 80) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _default(value: object) -> str:
    import json

    try:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _type_label(expected: object) -> str:
    schema = json_type(expected)
    kind = schema.get("type", "any")
    return " / ".join(kind) if isinstance(kind, list) else kind


INTRO = """\
# 规则说明 / Rule reference

> 本文件由 `python -m checker.docs > docs/rules.md`（或 `checker rules docs -o docs/rules.md`）
> 根据各规则类型的说明和内置规则包自动生成，请勿手工编辑。
> Generated from the kinds' docstrings and the bundled packs; do not edit by hand.

## 规则文件格式 / Rule file format

规则包是一个 YAML 文件（UTF-8）。编辑器可用 `rules/rule-pack.schema.json`（JSON Schema 2020-12）校验和补全：
在文件第一行写 `# yaml-language-server: $schema=rule-pack.schema.json`。
A rule pack is a YAML file; `rules/rule-pack.schema.json` lets editors validate and complete it.

```yaml
name: my-pack                 # 规则包名称 / pack name
title: 某某区乡镇年度报告规则    # 显示标题 / display title
extends: national             # 继承的规则包：内置名称或相对路径 / parent: bundled name or relative path
disable: [standard-heading]   # 停用继承来的规则 / switch inherited rules off
rules:
  - id: title                 # 与父规则同 id：只覆盖写出的键 / same id: override only these keys
    severity: error
  - id: pattern-no-template-leftover   # 新 id：新规则，必须写 kind 和 message / new rule
    kind: pattern
    severity: error
    weight: 5
    message: 出现模板残留“{match}”
```

顶层键 / top-level keys: `name`, `title`, `description`, `extends`, `template`
(`heading_threshold`, `substance_threshold`, `sections`), `scoring` (`severity_factors`, `grades`, `caps`),
`settings`, `rules`, `disable`. 其他键都会报错 / any other key is an error.

### 每条规则的公共键 / Keys every rule has

| 键 key | 类型 type | 说明 |
| --- | --- | --- |
| `id` | string | 唯一标识；内置规则包中 id 含规则类型名 / unique id |
| `kind` | string | 规则类型（见下）/ rule kind (below) |
| `severity` | error / warning / info | 严重程度，默认 warning |
| `weight` | number ≥ 0 | 计分权重，默认 0（不计分）/ weight in the score |
| `scope` | string | 适用范围：模板章节 id（measures, shortcomings, first-responsible, next-year, other）或 `body`（正文，默认）|
| `message` | string | 问题描述，可用 `{占位符}`（各类型列出可用占位符；`{year}` 总可用）|
| `suggestion` | string | 修改建议，同样可用占位符 / what to write instead |
| `basis` | string | 依据（法规、文件条款）/ legal basis |
| `link` | string | 参考链接 |
| `description` | string | 一句话说明（`checker rules list` 显示）|
| `enabled` | boolean | `false` 停用 |
| `from_year` / `until_year` | integer | 只检查这些年度的报告（报告年度取自标题、开头、一级标题或落款）；年度不明的报告不检查，除非 `guess_year` / only reports of these years |
| `guess_year` | boolean | 报告未写年度时，以正文写到的最晚年份（“2008年以来”“〔2002〕”）为准；正文没有年份时照常检查。默认 false / a report without its year is taken as of the latest year its text names |
| `skip_cited_titles` | boolean | 被引文件标题《…》之内不报（标题是原文件的，不能改：《关于开展法制宣传教育的第六个五年规划》）。默认 false / no findings inside a cited title |
| `examples` | `{pass: 文本, fail: 文本}` | 通过与不通过的示例（`checker explain` 显示）|

`scope` 之外，选项 `section`、`sections`、`scopes` 的值也必须是模板中的章节 id（或 `body`）。
其余键是该规则类型的选项（见各类型的选项表），写错或类型不对都会报错。
Other keys are the kind's options; unknown keys or wrong types are errors.

同一处只报一次 / one problem, one finding：两条不同规则对同一段文字的用词都报了问题（类型 pattern、usage、
lexicon、typo；一处在另一处之内或重合，如 `法制宣传教育` 与 `法制宣传`），只保留更具体的一条：pattern、usage
先于 lexicon、typo，其次级别更高的，再次范围更短的。一条规则因 `from_year` / `until_year` 或 `skip_cited_titles`
不报的文字，其他规则在它外面或同一处报的问题也不报（该规则认定那里的写法没有问题）。
Where two rules of these kinds report nested spans, the more specific finding stays; a span a rule
lets stand (years, cited titles) takes along another rule's finding around it.

### 模板与计分 / Template and scoring

| 键 key | 说明 |
| --- | --- |
| `template.sections` | 模板章节列表，顺序即规定顺序；每项键：`id`（规则 `scope` 引用它）、`name`（显示名）、`standard`（标准标题，可含 `{year}` `{next_year}`）、`year`（标准标题写哪一年：`report` / `next` / `none`）、`required`（true/false）、`aliases`（可识别的其他写法）、`bullet_keywords`（在“一是…”等条目中出现即视为“实质上有该部分”的词）|
| `template.heading_threshold` | 一级标题被识别为模板章节所需的相似度（0–100）|
| `template.substance_threshold` | 小标题或条目算作“实质上有该部分”所需的相似度 |
| `template.partial_weights` | `[长度比上限或 null, 权重]` 列表：部分匹配的折算 |
| `template.generic_words` | 比较标题时忽略的通用词（法治政府建设、推进…）|
| `scoring.severity_factors` | `{error: 1.0, warning: 0.5, info: 0}`：规则最严重的问题扣去其权重（分值）的比例 |
| `scoring.grades` | `[{min: 90, grade: 优秀}, …]`：得分不低于 `min` 的等级 |
| `scoring.caps` | 等级封顶：`[{grade: 需修改, reason: 缺少必备部分, rules: [规则 id…], severity: error}, …]`；文档有一个命中的问题（规则在 `rules` 中——不写则任何规则；严重程度不低于 `severity`——不写则任何级别），等级最高为 `grade`。`rules` 中的 id 必须存在（规则改名时同时修改）|
| `settings` | 供规则类型读取的其他设置（映射）|
| `settings.comparison` | 批量对比的阈值（`checker check --expect/--previous/--compare`，见下文“批量对比”）|

#### 等级怎样评定 / How grades are decided

1. **得分** = 100 − 各规则扣分之和（最低 0）。每条规则按它**最严重**的一个问题扣
   `weight × severity_factors[级别]` 分：同一规则出现多处只扣一次（“为什么是这个等级”中写明处数）；
   `weight` 就是分值，增加规则不会改变其他规则的分量。提示（info）不扣分；被文档内指令或基线屏蔽的问题不计。
2. **按得分定等级**：取 `grades` 中得分达到 `min` 的最高等级。
3. **封顶**：逐条检查 `caps`，文档有命中的问题时等级最高为该条的 `grade`。内置规则包（national 及其
   township、county、department）的封顶：
   - 缺少四个必备部分（主要举措和成效、存在的不足和原因、第一责任人履职情况、下一年度安排）之一 → **需修改**；
   - 有未替换的模板内容（XX、某某单位……）→ **需修改**；
   - 正文过短（标题以外不足 100 字，如未填写的 `checker template` 框架）→ **需修改**；
   - 有任何错误级问题 → 最高**合格**（不能评为优秀）。
4. **内容有分量**：不足部分写原因、主要举措的数据、第一责任人部分（至少写到 3 项履职内容、写明主要负责人本人、
   有具体次数）各扣 4–6 分（警告），几项同时缺少就评不上优秀。
5. 不是年度报告的文件不评等级。

每份结果都带“为什么是这个等级”（JSON `grade_reason`，`grade_caps` 列出起作用的封顶；csv/xlsx “等级原因”列；
终端、html、网页在得分下方；JUnit/SARIF 的属性），由起作用的封顶、得分区间和扣分最多的规则组成，例如：
`需修改。缺少必备部分：缺少“党政主要负责人履行第一责任人职责情况”部分。得分 64（低于 70 分为需修改）；其他扣分：……`

Score = 100 − the points the rules lose (a rule loses `weight × factor` of its worst finding, once);
grade = the best `grades` entry the score reaches, lowered to every matching `caps` ceiling; every
result carries the explanation (`grade_reason`).

### 继承与覆盖 / Extension semantics

- `extends: 名称或路径`：先加载父规则包（可多层），再把本文件叠加上去。
- `rules` 中 id 与父规则相同的条目是**部分覆盖**：只改写出的键（如只写 `severity`），
  每个键的值整体替换父值（列表不会合并，要增加同义词须写出完整列表）；覆盖时不能改 `kind`。
  An entry with an inherited id overrides only the keys it gives; each value replaces the parent's
  wholesale (lists are not concatenated); `kind` cannot change.
- id 为新的条目是新规则，必须写 `kind` 和 `message`。A new id adds a rule.
- `disable: [id, …]` 停用规则（等同 `enabled: false`）；下层可用 `enabled: true` 重新启用；
  写了不存在的 id 会报错。
- `template.sections` 按章节 id 同样部分覆盖，新 id 追加在后；阈值、`scoring`、`settings` 的键直接替换。
- 同一文件里 id 重复、键重复都是错误。Duplicate ids or keys in one file are errors.
- 章节只能覆盖或追加，不能删除或重排；需要不同的章节结构时，写一个不用 `extends` 的完整规则包。
  Sections can be overridden or appended, not removed or reordered.

### 项目配置 / Project configuration

`checker check` 从当前目录向上查找 `.checker.yaml`（或 `.checker.yml`），
或含 `[tool.checker]` 的 `pyproject.toml`；也可用 `--config FILE` 指定：

```yaml
# .checker.yaml
pack: county                  # 内置名称或相对配置文件的路径
rules: [rules/extra.yaml]     # 附加规则文件，按顺序叠加（不能再写 extends）
disable: [standard-heading]
severity: {title: error}      # 改变规则的严重程度
words: [撤村改居, 金龙街道]     # 用户词典：这些词写法正确，错别字（typo）和规范表述（lexicon）规则不再报告
```

```toml
[tool.checker]
pack = "county"
disable = ["standard-heading"]
severity = { title = "error" }
words = ["撤村改居"]
```

叠加顺序 / layer order: 规则包（含 extends 链）→ 配置 `rules` → 配置 `disable`/`severity` →
命令行 `--rules FILE`（可重复）→ `--disable ID`（可重复）。命令行 `--pack` 取代配置中的 `pack`。

### 批量对比 / Batch comparisons

审核一批报告时，`checker check DIR…` 还可以做单份报告看不出的三项对比（也可写在配置文件的 `compare:` 中，
路径相对配置文件；命令行优先）：

```yaml
# .checker.yaml
compare:
  expect: 应报单位.xlsx          # --expect：应报单位名单（CSV/XLSX，每行一个单位，可有表头）
  previous: [../2023年度报告]    # --previous：上一年度的报告（目录或文件）
  shared: true                  # --compare/--no-compare：不同单位之间几乎一字不差的段落
```

- **应报未报**：每份报告按报告单位（标题中年份或“关于”之前的单位名、落款、文件名）与名单对照，
  容忍“人民政府/办事处/委员会”等后缀和县、区前缀；JSON 顶层 `missing_units` 列出没有报告的单位，
  `comparison` 中还有报告两份及以上的单位和对不上名单的报告；终端、HTML 和 xlsx（单独的工作表）同样列出。
- **与上一年度对比**（按单位配对；没有上一年度报告的不比）：`previous-copy`（错误：报告基本就是去年的，
  只改了年份或数字）、`previous-shortcomings`（警告：存在的不足照抄去年，给出两边原文和相似度）、
  `previous-plan`（提示：去年“下一年度安排”的各项在今年主要举措中写到几项，未见的列出；HTML 和 xlsx 有逐项表）。
- **单位之间雷同**：`shared-passage`（警告，涉及的每份报告各一条，写明其他报告及行号）：至少
  `shared_min_chars` 字、连续的句子与其他单位的报告几乎一字不差（标点、空格不计，数字一律视为相同）。
  各报告普遍共有的套话不算：出现在本批 `boilerplate_share`（且至少 `boilerplate_min_reports` 个）单位报告中的句子，
  以及含规则包 `settings.comparison.boilerplate` 所列短语的句子。
- 对比不逐对比较：句子按规范化文本的散列建索引，只比较共有索引项的报告；不是年度报告的页面不参与对比。
  开启对比时，各报告的结果在整批检查完后一并写出（只保留结果，不保留全文；HTML 报告仍保留全文）。
- 这些发现不改变单份报告的得分和等级（它们说的是这一批报告之间的关系），但计入 `--fail-on` 的退出码。

阈值 / thresholds（`settings.comparison`，规则包可覆盖）：`shared_min_chars`（100）、`sentence_min_chars`（16）、
`boilerplate_share`（0.2）、`boilerplate_min_reports`（3）、`boilerplate`（短语列表）、`item_similarity`（80：
两条“不足”算作相同写法的相似度）、`repeat_share`（0.6：今年的不足中与去年相同的比例达到多少算照抄）、
`copy_share`（0.8：与去年相同的句子比例达到多少算照抄全文）、`plan_covered_share`（0.5：去年的一项安排中
有多少比例的字词在今年主要举措中出现算“写到”）。

### 加载错误 / Loading errors

规则文件或配置文件有误时，`checker` 输出一行 `文件:行:列: 原因` 并以退出码 **3** 结束，不会只加载一部分规则。
A bad rule or config file prints one line `file:line:column: reason` and exits with code 3.

加载器自己按同样的结构逐项检查（给出行列号和中文原因）；JSON Schema 供编辑器使用，并在测试中校验全部内置规则包，
运行时不加载 jsonschema（导入要几十到上百毫秒，且报错没有行号）。
The loader enforces the same structure itself, with positions; the schema serves editors and is checked
against every bundled pack in the tests, so jsonschema stays a development dependency.
"""


def rules_markdown(pack_names: list[str] | None = None) -> str:
    parts = [INTRO, "## 规则类型 / Rule kinds\n"]
    registered = kinds()
    for name, kind in registered.items():
        aliases = [other for other, module in registered.items() if module is kind and other != name]
        if any(_primary(alias, kind) for alias in aliases) and not _primary(name, kind):
            continue  # documented under its primary name
        doc = kind_doc(name, kind)
        parts.append(f"### `{name}` — {doc.summary}\n")
        if aliases:
            parts.append("别名 / also registered as: " + ", ".join(f"`{a}`" for a in aliases) + "\n")
        if doc.body:
            parts.append("```text\n" + doc.body + "\n```\n")
        if kind.OPTIONS:
            descriptions = option_docs(kind)
            parts.append("| 选项 option | 类型 type | 默认 default | 说明 |\n| --- | --- | --- | --- |")
            for option, (expected, default) in kind.OPTIONS.items():
                shown = "—" if default is None else f"`{_cell(_default(default))}`"
                parts.append(f"| `{option}` | {_type_label(expected)} | {shown} | {_cell(descriptions.get(option, ''))} |")
            parts.append("")
        else:
            parts.append("（无选项 / no options）\n")
    parts.append("## 内置规则包 / Bundled packs\n")
    names = pack_names or bundled_pack_names()
    packs = {name: load_pack(name) for name in names}
    for name, pack in sorted(packs.items(), key=lambda item: (item[0] != "national", item[0])):
        parts.append(f"### `{pack.name}` — {pack.title}\n")
        if pack.description:
            parts.append(" ".join(pack.description.split()) + "\n")
        parent = packs.get("national") if name != "national" and len(pack.layers) > 1 else None
        if len(pack.layers) > 1:
            parts.append("继承 / extends: " + " → ".join(f"`{layer}`" for layer in pack.layers) + "\n")
        if parent is not None:
            parts += _differences(parent, pack)
            continue
        parts.append("| id | 类型 kind | 级别 severity | 权重 weight | 说明 |\n| --- | --- | --- | --- | --- |")
        for rule in pack.rules:
            parts.append(f"| `{rule.id}` | {rule.kind} | {rule.severity.label} | {rule.weight:g} | {_cell(one_line(rule))} |")
        parts.append("")
        parts.append(f"#### `{pack.name}` 规则详情 / rule details\n")
        for rule in pack.rules:
            parts += _rule_details(rule)
    return "\n".join(parts).rstrip() + "\n"


def _rule_details(rule: Rule) -> list[str]:
    passing, failing = examples(rule)
    lines = [f"- **`{rule.id}`**（{rule.kind}，{rule.severity.label}，权重 {rule.weight:g}）{_cell(one_line(rule))}"]
    lines.append(f"  - 提示 message: {_cell(rule.message)}")
    if rule.suggestion:
        lines.append(f"  - 建议 suggestion: {_cell(rule.suggestion)}")
    if rule.basis:
        lines.append(f"  - 依据 basis: {_cell(rule.basis)}")
    if passing:
        lines.append(f"  - 通过 pass: {_cell(passing)}")
    if failing:
        lines.append(f"  - 不通过 fail: {_cell(failing)}")
    return lines + [""]


def _differences(parent: Pack, pack: Pack) -> list[str]:
    """What a pack changes relative to its parent: disabled, added and overridden rules and sections."""
    from checker.packs import strip_marks

    lines = []
    if pack.disabled:
        lines.append("停用 / disabled: " + ", ".join(f"`{r}`" for r in pack.disabled) + "\n")
    rows = []
    for rule_id, raw in pack.raw_rules.items():
        if rule_id in pack.disabled:
            continue
        before = strip_marks(parent.raw_rules.get(rule_id, {}))
        after = strip_marks(raw)
        if rule_id not in parent.raw_rules:
            rows.append(f"| `{rule_id}` | 新增 added ({after.get('kind')}) | {_cell(one_line(pack.rule(rule_id)))} |")
            continue
        changed = [key for key in after if after[key] != before.get(key) and key != "enabled"]
        if changed:
            shown = "; ".join(f"{key}: {_cell(_default(after[key]))}" for key in changed)
            rows.append(f"| `{rule_id}` | 覆盖 overrides | {shown} |")
    for section_id, raw in pack.raw_sections.items():
        before = strip_marks(parent.raw_sections.get(section_id, {}))
        after = strip_marks(raw)
        changed = [key for key in after if after[key] != before.get(key)]
        if changed:
            rows.append(f"| 章节 `{section_id}` | 覆盖 overrides | {', '.join(changed)} |")
    if rows:
        lines += ["| 规则 rule | 变化 change | 内容 |\n| --- | --- | --- |", *rows, ""]
    return lines


if __name__ == "__main__":
    import sys

    sys.stdout.write(rules_markdown())
