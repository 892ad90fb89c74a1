"""Reads the Go composite literals of Istio's validation table tests into plain Python values.

Only the subset the tests use: struct, slice and map literals, strings, numbers, enum constants,
durations, wrapper values and a few calls. Anything else raises Unsupported, and the case is counted
as skipped with that reason.
"""
import re

class Unsupported(Exception):
    pass

TOKEN = re.compile(r'''
    (?P<ws>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<raw>`[^`]*`)
  | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<chr>'(?:[^'\\]|\\.)')
  | (?P<num>\d+\.\d*(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|0x[0-9a-fA-F]+|\d+)
  | (?P<id>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>:=|==|!=|&&|\|\||<<|[-+*/%&|^!<>=(){}\[\],:;.])
''', re.S | re.X)

def tokenize(src):
    out, pos = [], 0
    while pos < len(src):
        m = TOKEN.match(src, pos)
        if not m:
            raise Unsupported('cannot tokenize at ' + src[pos:pos + 20])
        pos = m.end()
        kind = m.lastgroup
        if kind == 'ws':
            continue
        out.append((kind, m.group()))
    return out

def go_string(tok):
    kind, text = tok
    if kind == 'raw':
        return text[1:-1]
    body = text[1:-1]
    def esc(m):
        s = m.group(1)
        simple = {'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\', "'": "'", '0': '\0', 'a': '\a', 'b': '\b', 'f': '\f', 'v': '\v'}
        if s[0] == 'x':
            return chr(int(s[1:3], 16))
        if s[0] == 'u':
            return chr(int(s[1:5], 16))
        if s[0] in '01234567' and len(s) >= 3:
            return chr(int(s[:3], 8))
        return simple.get(s[0], s)
    return re.sub(r'\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[0-7]{3}|.)', esc, body)

class Lit:
    """A composite literal: its type (None when elided) and its elements as (key, value) pairs."""
    def __init__(self, type_, elems):
        self.type = type_
        self.elems = elems
    def __repr__(self):
        return 'Lit(%r, %r)' % (self.type, self.elems)

class Ref:
    """A qualified identifier such as networking.ServiceEntry_DNS or time.Second."""
    def __init__(self, name):
        self.name = name
    def __repr__(self):
        return 'Ref(%s)' % self.name

class Call:
    def __init__(self, fn, args):
        self.fn = fn
        self.args = args
    def __repr__(self):
        return 'Call(%s, %r)' % (self.fn, self.args)

class Bin:
    def __init__(self, op, a, b):
        self.op, self.a, self.b = op, a, b

class Parser:
    def __init__(self, tokens):
        self.t = tokens
        self.i = 0

    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else (None, None)

    def next(self):
        tok = self.t[self.i]
        self.i += 1
        return tok

    def expect(self, text):
        tok = self.next()
        if tok[1] != text:
            raise Unsupported('expected %s, got %s' % (text, tok[1]))

    def type_expr(self):
        """[]*pkg.T, map[string]uint32, *pkg.T, pkg.T, struct{...} (skipped)."""
        s = ''
        while True:
            kind, text = self.peek()
            if text == '*':
                self.next(); s += '*'
            elif text == '[':
                self.next(); self.expect(']'); s += '[]'
            elif text == 'map':
                self.next(); self.expect('['); k = self.type_expr(); self.expect(']')
                return s + 'map[' + k + ']' + self.type_expr()
            elif text == 'struct':
                self.next(); depth = 0
                while True:
                    _, x = self.next()
                    if x == '{': depth += 1
                    elif x == '}':
                        depth -= 1
                        if depth == 0: break
                return s + 'struct'
            elif kind == 'id':
                name = self.next()[1]
                while self.peek()[1] == '.' and self.peek(1)[0] == 'id':
                    self.next(); name += '.' + self.next()[1]
                return s + name
            else:
                raise Unsupported('bad type at ' + str(text))

    def expr(self):
        a = self.unary()
        while self.peek()[1] in ('*', '+', '-', '/', '<<'):
            op = self.next()[1]
            a = Bin(op, a, self.unary())
        return a

    def unary(self):
        kind, text = self.peek()
        if text == '&':
            self.next()
            return self.unary()
        if text == '-':
            self.next()
            return Bin('-', 0, self.unary())
        if text == '(':
            self.next(); e = self.expr(); self.expect(')')
            return e
        if text == '{':
            return Lit(None, self.elements())
        if text in ('[', 'map', '*'):
            t = self.type_expr()
            if self.peek()[1] == '(':
                self.next(); arg = self.expr(); self.expect(')')
                return Call(t, [arg])
            return Lit(t, self.elements())
        if kind in ('str', 'raw'):
            self.next()
            s = go_string((kind, text))
            while self.peek()[1] == '+' and self.peek(1)[0] in ('str', 'raw'):
                self.next(); s += go_string(self.next())
            return s
        if kind == 'num':
            self.next()
            return float(text) if ('.' in text or 'e' in text.lower()) and not text.startswith('0x') else int(text, 0)
        if kind == 'chr':
            self.next()
            return ord(go_string(('str', '"' + text[1:-1] + '"')))
        if kind == 'id':
            name = self.next()[1]
            while self.peek()[1] == '.' and self.peek(1)[0] == 'id':
                self.next(); name += '.' + self.next()[1]
            if self.peek()[1] == '{':
                return Lit(name, self.elements())
            if self.peek()[1] == '(':
                self.next(); args = []
                while self.peek()[1] != ')':
                    args.append(self.expr())
                    if self.peek()[1] == ',': self.next()
                self.next()
                return Call(name, args)
            return Ref(name)
        raise Unsupported('unexpected token ' + str(text))

    def elements(self):
        self.expect('{')
        elems = []
        while self.peek()[1] != '}':
            if self.peek()[0] == 'id' and self.peek(1)[1] == ':':
                key = self.next()[1]; self.next()
                elems.append((key, self.expr()))
            else:
                v = self.expr()
                if self.peek()[1] == ':':
                    self.next()
                    elems.append((v, self.expr()))
                else:
                    elems.append((None, v))
            if self.peek()[1] == ',':
                self.next()
        self.next()
        return elems

def parse_value(src):
    p = Parser(tokenize(src))
    return p.expr()
