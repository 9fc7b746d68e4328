// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `evpnctl topology [DEV] [--format dot|svg]`: a picture of the overlay as
 * this node sees it, from evpnd's `topology` reply (daemon/topoview.h):
 * this node, the members it knows, its own links, and the links its
 * neighbours reported (their NBRS lists), so with every node linked to a
 * few others most of the overlay shows.
 *
 * The nodes sit on a circle in ring order (ascending node ID, clockwise
 * from the top, evenly spaced); an edge between ring neighbours (adjacent
 * in that order) is a ring link, any other a long link (Symphony's
 * long-distance links). Our links are thick (dashed when relayed through
 * TURN, grey and dotted while not up), reported ones thin. `dot` is the
 * text for graphviz; `svg` runs graphviz's dot on it (the graph asks for
 * its neato engine, which keeps the positions given).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ctlsock.h"
#include "evpnctl.h"
#include "id.h"

#define TOPO_MAX_NODES	1024
#define TOPO_MAX_EDGES	8192

struct tnode {
	char id[EVPN_ID_HEXLEN + 1];
	char jid[256];
	bool self, member;
};

struct tedge {
	int a, b;		/* a < b, indexes in the sorted node array */
	bool ours, relayed, up;
};

struct topo {
	struct tnode nodes[TOPO_MAX_NODES];
	int nnodes;
	struct tedge edges[TOPO_MAX_EDGES];
	int nedges;
	char self[EVPN_ID_HEXLEN + 1];
};

static bool hex_id(const char *s)
{
	return strlen(s) == EVPN_ID_HEXLEN &&
	       strspn(s, "0123456789abcdef") == EVPN_ID_HEXLEN;
}

static int node_find(struct topo *t, const char *id)
{
	int i;

	for (i = 0; i < t->nnodes; i++)
		if (!strcmp(t->nodes[i].id, id))
			return i;
	return -1;
}

static int node_add(struct topo *t, const char *id)
{
	int i = node_find(t, id);

	if (i >= 0 || !hex_id(id))
		return i;
	if (t->nnodes == TOPO_MAX_NODES)
		return -1;
	snprintf(t->nodes[t->nnodes].id, sizeof(t->nodes[0].id), "%s", id);
	return t->nnodes++;
}

/* Edges are kept by node ID until the nodes are sorted. */
struct raw_edge {
	char a[EVPN_ID_HEXLEN + 1], b[EVPN_ID_HEXLEN + 1];
	bool ours, relayed, up;
};

static struct raw_edge raw[TOPO_MAX_EDGES];
static int nraw;

static void raw_add(const char *a, const char *b, bool ours, bool relayed,
		    bool up)
{
	if (nraw == TOPO_MAX_EDGES || !hex_id(a) || !hex_id(b) || !strcmp(a, b))
		return;
	snprintf(raw[nraw].a, sizeof(raw[0].a), "%s", a);
	snprintf(raw[nraw].b, sizeof(raw[0].b), "%s", b);
	raw[nraw].ours = ours;
	raw[nraw].relayed = relayed;
	raw[nraw].up = up;
	nraw++;
}

static void parse_line(struct topo *t, char *line)
{
	char *w[6] = { 0 }, *save = NULL;
	int n = 0, i;

	for (char *p = strtok_r(line, " \n", &save); p && n < 6;
	     p = strtok_r(NULL, " \n", &save))
		w[n++] = p;
	if (n == 2 && !strcmp(w[0], "self") && hex_id(w[1])) {
		snprintf(t->self, sizeof(t->self), "%s", w[1]);
		if ((i = node_add(t, w[1])) >= 0)
			t->nodes[i].self = true;
	} else if (n >= 4 && !strcmp(w[0], "member")) {
		if ((i = node_add(t, w[2])) < 0)
			return;
		t->nodes[i].member = true;
		if (n >= 5)
			snprintf(t->nodes[i].jid, sizeof(t->nodes[i].jid), "%s",
				 w[4]);
	} else if (n == 6 && !strcmp(w[0], "link")) {
		node_add(t, w[1]);
		raw_add(t->self, w[1], true, !strcmp(w[5], "1"),
			!strcmp(w[4], "up"));
	} else if (n == 3 && !strcmp(w[0], "nbr")) {
		node_add(t, w[1]);
		node_add(t, w[2]);
		raw_add(w[1], w[2], false, false, true);
	}
}

static int node_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tnode *)a)->id, ((const struct tnode *)b)->id);
}

/* Sort the nodes (ring order) and merge the edges: one per pair, ours
 * winning over a neighbour's report of the same link. */
static void build(struct topo *t)
{
	int i, j, a, b;

	qsort(t->nodes, t->nnodes, sizeof(t->nodes[0]), node_cmp);
	for (i = 0; i < nraw; i++) {
		a = node_find(t, raw[i].a);
		b = node_find(t, raw[i].b);
		if (a < 0 || b < 0)
			continue;
		if (a > b) {
			j = a;
			a = b;
			b = j;
		}
		for (j = 0; j < t->nedges; j++)
			if (t->edges[j].a == a && t->edges[j].b == b)
				break;
		if (j == t->nedges) {
			if (t->nedges == TOPO_MAX_EDGES)
				continue;
			t->nedges++;
			memset(&t->edges[j], 0, sizeof(t->edges[j]));
			t->edges[j].a = a;
			t->edges[j].b = b;
			t->edges[j].up = true;
		} else if (t->edges[j].ours) {
			continue;
		}
		if (raw[i].ours) {
			t->edges[j].ours = true;
			t->edges[j].relayed = raw[i].relayed;
			t->edges[j].up = raw[i].up;
		}
	}
}

static bool ring_pair(const struct topo *t, const struct tedge *e)
{
	return e->b == e->a + 1 || (e->a == 0 && e->b == t->nnodes - 1);
}

/* A JID's local part, or the ID's first 8 digits. */
static void put_label(FILE *out, const struct tnode *n)
{
	const char *j = n->jid;
	size_t len = strcspn(j, "@/");

	fputc('"', out);
	for (; len && *j && j < n->jid + len; j++)
		if (*j != '"' && *j != '\\')
			fputc(*j, out);
	fprintf(out, "%s%.8s\"", len ? "\\n" : "", n->id);
}

static void write_dot(FILE *out, const struct topo *t)
{
	double r = 1.2 + t->nnodes * 0.25;
	int i;

	fprintf(out, "graph evpn {\n\tlayout=neato; outputorder=edgesfirst;\n"
		"\tlabel=\"evpn overlay as seen by %.8s: %d nodes, %d links "
		"(ring order clockwise by node ID; thick: this node's links)\";\n"
		"\tnode [shape=ellipse, fontsize=10, style=filled, "
		"fillcolor=white];\n", t->self, t->nnodes, t->nedges);
	for (i = 0; i < t->nnodes; i++) {
		const struct tnode *n = &t->nodes[i];
		double a = 2 * M_PI * i / (t->nnodes ? t->nnodes : 1);

		fprintf(out, "\t\"%s\" [label=", n->id);
		put_label(out, n);
		fprintf(out, ", pos=\"%.2f,%.2f!\", tooltip=\"%s\"%s];\n",
			r * sin(a), r * cos(a), n->id,
			n->self ? ", shape=doublecircle, fillcolor=lightyellow" :
			n->member ? "" : ", style=\"filled,dashed\"");
	}
	for (i = 0; i < t->nedges; i++) {
		const struct tedge *e = &t->edges[i];
		bool ring = ring_pair(t, e);

		fprintf(out, "\t\"%s\" -- \"%s\" [class=\"%s %s\", color=%s, "
			"penwidth=%s%s];\n", t->nodes[e->a].id, t->nodes[e->b].id,
			ring ? "ring" : "long", e->ours ? "ours" : "reported",
			!e->up ? "grey" : ring ? "black" : "blue",
			e->ours ? "2.5" : "0.8",
			!e->up ? ", style=dotted" :
			e->relayed ? ", style=dashed, label=\"TURN\"" : "");
	}
	fprintf(out, "}\n");
}

/* graphviz's dot reads the text on its stdin and writes SVG to ours. */
static int write_svg(const char *text)
{
	FILE *p = popen("dot -Tsvg", "w");
	int st;

	if (!p) {
		perror("evpnctl topology: dot");
		return 1;
	}
	fputs(text, p);
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "evpnctl topology: graphviz's dot failed%s\n",
			WIFEXITED(st) && WEXITSTATUS(st) == 127 ?
			" (not installed? apt-get install graphviz)" : "");
		return 1;
	}
	return 0;
}

int cmd_topology(int argc, char **argv)
{
	const char *dev = "evpn0", *fmt = "dot";
	static struct topo t;
	char *reply = NULL, *dot = NULL, *line, *save = NULL;
	size_t rlen = 0, dlen = 0;
	FILE *m;
	int i, ret;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc)
			fmt = argv[++i];
		else if (argv[i][0] != '-')
			dev = argv[i];
		else
			goto usage;
	}
	if (strcmp(fmt, "dot") && strcmp(fmt, "svg"))
		goto usage;
	m = open_memstream(&reply, &rlen);
	if (!m)
		return 1;
	ret = ctlsock_request(dev, "topology", m);
	fclose(m);
	if (ret) {
		if (ret > 0)
			fprintf(stderr, "evpnctl topology: %s", reply);
		free(reply);
		return 1;
	}
	for (line = strtok_r(reply, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		parse_line(&t, line);
	free(reply);
	build(&t);
	m = open_memstream(&dot, &dlen);
	if (!m)
		return 1;
	write_dot(m, &t);
	fclose(m);
	ret = !strcmp(fmt, "svg") ? write_svg(dot) : (fputs(dot, stdout), 0);
	free(dot);
	return ret;
usage:
	fprintf(stderr, "usage: evpnctl topology [DEV] [--format dot|svg]\n");
	return 2;
}
