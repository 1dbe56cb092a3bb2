// 正文编辑器: starts django-prose-editor (ProseMirror/Tiptap) on every
// <textarea data-django-prose-editor-gongkai> under the strict CSP
// (script-src 'self'; style-src 'self'):
// * no import map: the editor module is imported by the URL the widget puts in its
//   configuration (static(), hashed in production), not by a bare specifier;
// * no inline <style>: Tiptap's injectCSS is off, its few base rules are in body-editor.css;
// * pasted Word/WPS HTML: its style="…" attributes are renamed before the browser parses them
//   (each would be refused by the CSP, with a console error); bold, italic and underline
//   given by those styles become <strong>, <em>, <u>;
// * Chinese labels: a small gettext for the editor's dialogs, and the toolbar tooltips translated.
// Without JavaScript (or if anything here fails) the plain textarea stays usable.

const ATTRIBUTE = "data-django-prose-editor-gongkai";

const ZH = {
  // dialogs (the library asks window.gettext)
  Cancel: "取消",
  Update: "确定",
  Insert: "插入",
  "Edit Link": "编辑链接",
  URL: "链接地址",
  Title: "提示文字",
  "Open in new window": "在新窗口中打开",
  "Insert Table": "插入表格",
  "Table Properties": "表格属性",
  Rows: "行数",
  Columns: "列数",
  "Include header row": "第一行为表头",
  "List properties": "编号设置",
  "Start at": "起始编号",
  "List type": "编号样式",
  "Decimal numbers": "阿拉伯数字",
  "Lowercase letters": "小写字母",
  "Uppercase letters": "大写字母",
  "Lowercase Roman numerals": "小写罗马数字",
  "Uppercase Roman numerals": "大写罗马数字",
  "Toggle fullscreen": "全屏",
  Bullets: "项目符号",
  // toolbar tooltips and the block-type menu (not translated by the library)
  paragraph: "正文段落",
  Paragraph: "正文段落",
  "heading 2": "二级标题",
  "heading 3": "三级标题",
  "heading 4": "四级标题",
  "Heading 2": "二级标题",
  "Heading 3": "三级标题",
  "Heading 4": "四级标题",
  bold: "加粗",
  italic: "倾斜",
  underline: "下划线",
  "unordered list": "项目符号列表",
  "ordered list": "编号列表",
  blockquote: "引用",
  "horizontal rule": "分隔线",
  "insert link": "插入链接（先选中文字）",
  "remove link": "取消链接",
  "Insert table": "插入表格",
  "Add column": "在右侧添加一列",
  "Add row": "在下方添加一行",
  "Delete column": "删除所在列",
  "Delete row": "删除所在行",
  "Delete table": "删除表格",
  "Toggle header cell": "切换表头单元格",
  "Merge cells": "合并单元格",
  "Split cell": "拆分单元格",
  undo: "撤销",
  redo: "重做",
};
// Choices in the editor's dialogs ("第一行为表头": Yes/No); their value stays English.
const ZH_OPTIONS = { Yes: "是", No: "否" };

// Links the server keeps (ledger/publishing/text.py URL_SCHEMES) or relative ones; anything
// else (javascript:, data:, ftp: …) is refused in the editor already.
const SAFE_URL = /^(https?:|mailto:|tel:|[/#?.]|[^:/?#]*(?:[/?#]|$))/i;

const STYLE_ATTRIBUTE = /(<[a-z][^>]*?\s)style(\s*=)/gi;
const INLINE = new Set(["SPAN", "FONT", "A"]);

function withoutStyleAttributes(html) {
  if (!/<style|\sstyle\s*=/i.test(html)) return html;
  // A <template> keeps <style> elements inert (a DOMParser document would apply them, and the
  // CSP refuses that); the attributes are renamed first for the same reason.
  const template = document.createElement("template");
  template.innerHTML = html.replace(STYLE_ATTRIBUTE, "$1data-pasted-style$2");
  const root = template.content;
  for (const el of root.querySelectorAll("style, script, link, meta, title")) el.remove();
  for (const el of root.querySelectorAll("[data-pasted-style]")) {
    const style = el.getAttribute("data-pasted-style").toLowerCase();
    el.removeAttribute("data-pasted-style");
    if (!INLINE.has(el.tagName)) continue;
    const marks = [];
    if (/font-weight\s*:\s*(bold|bolder|[6-9]00)\b/.test(style)) marks.push("strong");
    if (/font-style\s*:\s*italic\b/.test(style)) marks.push("em");
    if (/text-decoration(-line)?\s*:[^;]*\bunderline\b/.test(style)) marks.push("u");
    for (const tag of marks) {
      const mark = document.createElement(tag);
      mark.append(...el.childNodes);
      el.append(mark);
    }
  }
  return template.innerHTML;
}

function translate(root) {
  for (const el of root.querySelectorAll("[title], [aria-label]")) {
    if (el.closest("[contenteditable='true']")) continue;
    for (const name of ["title", "aria-label"]) {
      const value = el.getAttribute(name);
      if (value && Object.hasOwn(ZH, value)) el.setAttribute(name, ZH[value]);
    }
  }
  // options of the block-type drop-down: <p>Paragraph</p>, <h2>Heading 2</h2> …
  for (const el of root.querySelectorAll(".prose-menubar p, .prose-menubar h2, .prose-menubar h3, .prose-menubar h4")) {
    const text = el.textContent;
    if (el.childElementCount === 0 && Object.hasOwn(ZH, text)) el.textContent = ZH[text];
  }
  for (const option of root.querySelectorAll(".prose-editor-dialog option")) {
    const text = option.textContent;
    if (Object.hasOwn(ZH_OPTIONS, text)) {
      option.value = text;
      option.textContent = ZH_OPTIONS[text];
    }
  }
}

function extensionsFrom(editorModule, config) {
  const extensions = [];
  for (const [name, options] of Object.entries(config.extensions || {})) {
    const extension = editorModule[name];
    if (!extension) {
      console.warn(`正文编辑器：没有扩展 ${name}`);
      continue;
    }
    let settings = typeof options === "object" && options !== null ? { ...options } : null;
    if (name === "Link") {
      settings = {
        ...(settings || {}),
        isAllowedUri: (url, ctx) => ctx.defaultValidate(url) && SAFE_URL.test(url.trim()),
      };
    }
    extensions.push(settings ? extension.configure(settings) : extension);
  }
  return extensions;
}

function createEditor(editorModule, textarea) {
  if (textarea.closest(".prose-editor")) return null;
  const config = JSON.parse(textarea.getAttribute(ATTRIBUTE) || "{}");
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = editorModule.crel("div", {
    className: `prose-editor${disabled ? " disabled" : ""}`,
  });
  textarea.before(wrapper);
  wrapper.append(textarea);
  // The editable area is labelled and described like the textarea was.
  const attributes = { "aria-multiline": "true" };
  const label = textarea.id ? document.querySelector(`label[for="${textarea.id}"]`) : null;
  if (label) {
    if (!label.id) label.id = `${textarea.id}_label`;
    attributes["aria-labelledby"] = label.id;
  }
  const help = textarea.getAttribute("aria-describedby");
  if (help) attributes["aria-describedby"] = help;
  let editor;
  try {
    editor = newEditor(editorModule, textarea, wrapper, config, disabled, attributes);
  } catch (error) {
    wrapper.before(textarea); // the library's CSS hides a textarea inside .prose-editor
    wrapper.remove();
    throw error;
  }
  label?.addEventListener("click", () => editor.commands.focus());
  translate(wrapper);
  new MutationObserver((records) => {
    if (records.some((r) => r.addedNodes.length && !r.target.closest?.("[contenteditable='true']"))) {
      translate(wrapper);
    }
  }).observe(wrapper, { childList: true, subtree: true });
  textarea.dispatchEvent(
    new CustomEvent("prose-editor:ready", { detail: { editor, textarea }, bubbles: true }),
  );
  return editor;
}

function newEditor(editorModule, textarea, wrapper, config, disabled, attributes) {
  return new editorModule.Editor({
    element: wrapper,
    editable: !disabled,
    extensions: extensionsFrom(editorModule, config),
    content: textarea.value,
    injectCSS: false, // an inline <style>: refused by style-src 'self'
    editorProps: { attributes, transformPastedHTML: withoutStyleAttributes },
    onUpdate({ editor: current }) {
      const html = current.getHTML();
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    onDestroy() {
      wrapper.before(textarea);
      wrapper.remove();
    },
  });
}

async function start() {
  const textareas = [...document.querySelectorAll(`textarea[${ATTRIBUTE}]`)];
  if (!textareas.length) return;
  // The library reads window.gettext once, when its module is first evaluated.
  if (typeof window.gettext !== "function") {
    window.gettext = (text) => (Object.hasOwn(ZH, text) ? ZH[text] : text);
  }
  const { module } = JSON.parse(textareas[0].getAttribute(ATTRIBUTE) || "{}");
  const editorModule = await import(module);
  for (const textarea of textareas) {
    try {
      createEditor(editorModule, textarea);
    } catch (error) {
      console.error("正文编辑器启动失败，仍可直接在文本框中输入：", error);
    }
  }
}

start().catch((error) => console.error("正文编辑器加载失败，仍可直接在文本框中输入：", error));
