import { parseHTML } from 'linkedom';
import { SourceError } from './SourceError.ts';

/*
 * The few DOM members this package reads, typed here because the package compiles without the DOM
 * library (its browser-safe half must not reach for `document`). linkedom implements them; it
 * builds a tree and never runs scripts or loads resources.
 */
export interface DomNode {
  readonly nodeType: number;
  readonly textContent: string | null;
  readonly childNodes: Iterable<DomNode>;
}

export interface DomElement extends DomNode {
  readonly localName: string;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
}

export interface DomDocument {
  readonly documentElement: DomElement;
  readonly body: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
}

/** What reshaping the tree needs on top of reading it. */
interface MutableNode extends DomNode {
  readonly childNodes: ArrayLike<MutableNode> & Iterable<MutableNode>;
  readonly children: ArrayLike<MutableNode> & Iterable<MutableNode>;
  readonly localName?: string;
  appendChild(node: MutableNode): void;
  insertBefore(node: MutableNode, before: MutableNode | null): void;
}

interface MutableDocument extends MutableNode {
  readonly documentElement: MutableNode | null;
  createElement(name: string): MutableNode;
}

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
const DOCUMENT_TYPE_NODE = 10;

/**
 * Deepest element nesting accepted. Readability's cost grows with about the cube of the depth
 * (measured here: 250 levels 0.3 s, 500 levels 1.4 s, 1,000 levels 6.6 s, 7,000 levels minutes),
 * and the recursive walks of linkedom and of this package overflow the stack a few thousand
 * levels down. Article markup nests a few dozen levels; no real page needs more than this.
 */
export const MAX_HTML_DEPTH = 256;

export function isElement(node: DomNode): node is DomElement {
  return node.nodeType === ELEMENT_NODE;
}

const isNamed = (node: MutableNode, name: string) =>
  node.nodeType === ELEMENT_NODE && node.localName?.toLowerCase() === name;

/**
 * Gives the tree the shape a browser's parser always builds, `<html>` holding a head and a body.
 * linkedom keeps markup as written: a fragment (`<article>…`) or a page of scripts has no `<html>`
 * and no body, and its `head`/`body` getters then throw or create elements inside whatever comes
 * first, where Readability finds nothing.
 */
function shapeDocument(document: MutableDocument): void {
  let html = document.documentElement;
  if (!html || !isNamed(html, 'html')) {
    const wrapper = document.createElement('html');
    for (const node of Array.from(document.childNodes)) {
      if (node.nodeType !== DOCUMENT_TYPE_NODE) wrapper.appendChild(node);
    }
    document.appendChild(wrapper);
    html = wrapper;
  }
  const children = Array.from(html.childNodes);
  let body = children.find((node) => isNamed(node, 'body'));
  if (!body) {
    body = document.createElement('body');
    html.appendChild(body);
  }
  // Content outside the body (a browser moves it in) goes in, in document order.
  const firstInBody = body.childNodes[0] ?? null;
  let beforeBody = true;
  for (const node of children) {
    if (node === body) beforeBody = false;
    else if (!isNamed(node, 'head')) body.insertBefore(node, beforeBody ? firstInBody : null);
  }
}

/** The deepest element nesting in the tree, counted without recursion (the tree may be deep). */
function exceedsDepth(root: MutableNode, limit: number): boolean {
  const stack: Array<{ node: MutableNode; depth: number }> = [{ node: root, depth: 0 }];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    if (entry.depth > limit) return true;
    for (const child of Array.from(entry.node.children)) stack.push({ node: child, depth: entry.depth + 1 });
  }
  return false;
}

/**
 * Parses a page into a document with `<html>`, a head and a body, whatever the markup omitted.
 * Refuses with `source_too_complex` a tree nested deeper than MAX_HTML_DEPTH.
 */
export function parseHtmlDocument(html: string): DomDocument {
  const document = parseHTML(html).document as unknown as MutableDocument;
  shapeDocument(document);
  if (exceedsDepth(document, MAX_HTML_DEPTH)) {
    throw new SourceError(
      'source_too_complex',
      `The page nests its elements more than ${MAX_HTML_DEPTH} levels deep, far more than any article; it cannot be imported.`,
    );
  }
  return document as unknown as DomDocument;
}
