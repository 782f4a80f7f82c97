/*
 * papgen - the Push Initiator of make bench-pap (bench/pap.sh)
 *
 * POSTs PAP push-messages (multipart/related: the control entity with one
 * address, then an MMS notification as content) to a Push Proxy Gateway
 * over persistent HTTP/1.1 connections with Basic authentication, and
 * reports what came back: how many were answered 202 with a push-response
 * of code 1001, the other codes, and the latency of the answers.
 *
 * One thread, CONNS non-blocking connections under epoll, each carrying
 * one request at a time (no pipelining). With -r RATE the submissions are
 * open loop: submission i is due at start + i / RATE and goes out on any
 * idle connection (a due submission that finds none waits for one, and
 * the run's achieved rate and the latencies from the due times tell);
 * without -r, closed loop: each
 * connection sends its next submission as soon as its previous one is
 * answered. Every wait is bounded: a request not answered within -T ms
 * fails with its connection, and nothing is sent after -d seconds (the
 * answers to what was sent are awaited, -T ms at most).
 * A connection that fails is not opened again (its local port would be
 * in TIME_WAIT); the run then goes on with the others and is not clean.
 *
 * Submission i goes to user PREFIX<(OFFSET + i) % NUSERS>, push-id
 * ID-<i>@bench.example.net, content "mms notification <i> for <user>:
 * content location http://mms.example.net/m/0123456789abcdef" (the text
 * bench/sipp/pap-push.xml sends in its MESSAGEs).
 *
 * Output, one line of key=value on stdout: sent, ok (202 and 1001),
 * bad_status (another HTTP status), bad_code (202 with another PAP code;
 * the codes seen in codes=), failed (no answer: connection error or
 * timeout), unsent, elapsed_s (first request to last answer), rate
 * (answers per second over it), p50_ms, p90_ms, p99_ms, max_ms (latency:
 * request written to answer read whole), p50_due_ms, p99_due_ms (the same
 * from the time the submission was due: with the wait for an idle
 * connection), late_ms (the most a submission went out after it was
 * due), cpu_s (this process, user + system) and
 * cpu_us (per answered submission). -q FILE also writes every latency
 * (ms), one per line.
 *
 * Build: cc -O2 -o papgen bench/papgen.c (bench/pap.sh does).
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 256
#define RBUF 16384
#define WBUF 4096
#define MAX_CODES 16

enum cstate { C_CONNECTING, C_IDLE, C_BUSY, C_DEAD };

struct conn
{
	int fd;
	enum cstate st;
	char w[WBUF];
	size_t wlen, woff;
	char r[RBUF];
	size_t rlen;
	double t_send, t_due;
	long idx;
};

static struct conn conns[MAX_CONNS];
static int nconns = 4;
static const char *addr = "127.0.0.1";
static int port;
static int lport_lo, lport_hi; /* 0: the kernel's choice */
static int lport_next;
static double rate; /* 0: closed loop */
static long count = 1000;
static double max_secs = 60;
static double timeout_ms = 10000;
static const char *auth_b64;
static const char *user_prefix = "u";
static long nusers = 1000, offset;
static const char *id_prefix = "bench";
static const char *lat_file;

static double *lat, *lat_due;
static long sent, ok, bad_status, bad_code, failed, answered, nlat;
static double first_send = -1, last_answer, late_max;
static int codes[MAX_CODES][2], ncodes;
static int epfd;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "papgen: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static char *b64(const char *s)
{
	static const char t[] =
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(s), i, o = 0;
	char *out = malloc(4 * (n / 3 + 1) + 1);

	if(out == NULL)
		die("no memory");
	for(i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8
					 | (unsigned char)s[i + 2];
		out[o++] = t[v >> 18];
		out[o++] = t[(v >> 12) & 63];
		out[o++] = t[(v >> 6) & 63];
		out[o++] = t[v & 63];
	}
	if(n - i == 1) {
		unsigned v = (unsigned char)s[i] << 16;
		out[o++] = t[v >> 18];
		out[o++] = t[(v >> 12) & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if(n - i == 2) {
		unsigned v = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8;
		out[o++] = t[v >> 18];
		out[o++] = t[(v >> 12) & 63];
		out[o++] = t[(v >> 6) & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

static void conn_fail(struct conn *c)
{
	if(c->st == C_BUSY) {
		failed++;
		answered++;
	}
	if(c->fd >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	c->fd = -1;
	c->st = C_DEAD;
}

static void conn_open(struct conn *c)
{
	struct sockaddr_in sa;
	struct epoll_event ev;
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if(c->fd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* the next port of the range that is free: another process may hold
	 * one of them (the kernel hands out ephemeral ports in it too) */
	while(lport_lo > 0) {
		if(lport_next > lport_hi)
			die("no free local port left in %d-%d", lport_lo, lport_hi);
		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_port = htons(lport_next++);
		inet_pton(AF_INET, addr, &sa.sin_addr);
		if(bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			break;
		if(errno != EADDRINUSE)
			die("bind to local port %d: %s", lport_next - 1, strerror(errno));
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	if(inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		die("bad address %s", addr);
	c->st = C_CONNECTING;
	if(connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0
			&& errno != EINPROGRESS)
		die("connect to %s:%d: %s", addr, port, strerror(errno));
	ev.events = EPOLLIN | EPOLLOUT;
	ev.data.ptr = c;
	if(epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0)
		die("epoll_ctl: %s", strerror(errno));
}

static void want_out(struct conn *c, int on)
{
	struct epoll_event ev;

	ev.events = EPOLLIN | (on ? EPOLLOUT : 0);
	ev.data.ptr = c;
	epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void conn_write(struct conn *c)
{
	ssize_t n;

	while(c->woff < c->wlen) {
		n = write(c->fd, c->w + c->woff, c->wlen - c->woff);
		if(n < 0) {
			if(errno == EAGAIN || errno == EINTR) {
				want_out(c, 1);
				return;
			}
			conn_fail(c);
			return;
		}
		c->woff += n;
	}
	want_out(c, 0);
}

static void submit(struct conn *c, long i, double due)
{
	char user[64], body[2048];
	int blen, hlen;
	double t;

	snprintf(user, sizeof(user), "%s%ld", user_prefix, (offset + i) % nusers);
	blen = snprintf(body, sizeof(body),
			"--pap-boundary\r\n"
			"Content-Type: application/xml\r\n"
			"\r\n"
			"<?xml version=\"1.0\"?>\r\n"
			"<!DOCTYPE pap PUBLIC \"-//WAPFORUM//DTD PAP 2.1//EN\""
			" \"http://www.openmobilealliance.org/tech/DTD/pap_2.1.dtd\">\r\n"
			"<pap>\r\n"
			"<push-message push-id=\"%s-%ld@bench.example.net\">\r\n"
			"<address address-value=\"WAPPUSH=%s/TYPE=USER@ppg.example.net\"/>\r\n"
			"</push-message>\r\n"
			"</pap>\r\n"
			"--pap-boundary\r\n"
			"Content-Type: application/vnd.wap.mms-message\r\n"
			"X-Wap-Application-Id: x-wap-application:mms.ua\r\n"
			"\r\n"
			"mms notification %ld for %s: content location"
			" http://mms.example.net/m/0123456789abcdef\r\n"
			"--pap-boundary--\r\n",
			id_prefix, i, user, i, user);
	hlen = snprintf(c->w, sizeof(c->w),
			"POST /pap HTTP/1.1\r\n"
			"Host: %s:%d\r\n"
			"Authorization: Basic %s\r\n"
			"Content-Type: multipart/related; boundary=pap-boundary;"
			" type=\"application/xml\"\r\n"
			"Content-Length: %d\r\n"
			"\r\n",
			addr, port, auth_b64, blen);
	if(hlen + blen >= (int)sizeof(c->w))
		die("request too long");
	memcpy(c->w + hlen, body, blen);
	c->wlen = hlen + blen;
	c->woff = 0;
	c->rlen = 0;
	c->idx = i;
	c->st = C_BUSY;
	t = now();
	c->t_send = t;
	c->t_due = due > 0 ? due : t;
	if(first_send < 0)
		first_send = t;
	if(due > 0 && t - due > late_max)
		late_max = t - due;
	sent++;
	conn_write(c);
}

static void count_code(int code)
{
	int k;

	for(k = 0; k < ncodes; k++) {
		if(codes[k][0] == code) {
			codes[k][1]++;
			return;
		}
	}
	if(ncodes < MAX_CODES) {
		codes[ncodes][0] = code;
		codes[ncodes][1] = 1;
		ncodes++;
	}
}

/* A whole answer in c->r: 1, its length in *len; 0: not yet; -1: bad. */
static int answer_complete(struct conn *c, size_t *len)
{
	char *end, *p;
	long cl = -1;

	end = memmem(c->r, c->rlen, "\r\n\r\n", 4);
	if(end == NULL)
		return c->rlen >= RBUF ? -1 : 0;
	for(p = c->r; p && p < end; p = memchr(p, '\n', end - p)) {
		if(*p == '\n')
			p++;
		if(strncasecmp(p, "Content-Length:", 15) == 0)
			cl = strtol(p + 15, NULL, 10);
	}
	if(cl < 0)
		cl = 0;
	if((size_t)(end + 4 - c->r) + cl > RBUF)
		return -1;
	if((size_t)(end + 4 - c->r) + cl > c->rlen)
		return 0;
	*len = end + 4 - c->r + cl;
	return 1;
}

static void conn_read(struct conn *c)
{
	ssize_t n;
	size_t len;
	int rc, status, code;
	char *p, *body;
	double t;

	for(;;) {
		if(c->rlen >= RBUF) {
			conn_fail(c);
			return;
		}
		n = read(c->fd, c->r + c->rlen, RBUF - c->rlen);
		if(n == 0) {
			conn_fail(c);
			return;
		}
		if(n < 0) {
			if(errno == EAGAIN || errno == EINTR)
				break;
			conn_fail(c);
			return;
		}
		c->rlen += n;
	}
	if(c->st != C_BUSY) {
		conn_fail(c); /* an answer nobody asked for */
		return;
	}
	rc = answer_complete(c, &len);
	if(rc == 0)
		return;
	if(rc < 0) {
		conn_fail(c);
		return;
	}
	t = now();
	lat_due[nlat] = (t - c->t_due) * 1e3;
	lat[nlat++] = (t - c->t_send) * 1e3;
	answered++;
	last_answer = t;
	status = (c->rlen > 12 && strncmp(c->r, "HTTP/1.", 7) == 0)
					 ? atoi(c->r + 9)
					 : 0;
	body = memmem(c->r, len, "\r\n\r\n", 4) + 4;
	code = 0;
	p = memmem(body, len - (body - c->r), "code=\"", 6);
	if(p)
		code = atoi(p + 6);
	if(status != 202) {
		bad_status++;
		count_code(-status);
	} else if(code != 1001) {
		bad_code++;
		count_code(code);
	} else {
		ok++;
	}
	if(len < c->rlen) { /* more than one answer: not ours */
		conn_fail(c);
		return;
	}
	c->rlen = 0;
	c->st = C_IDLE;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double *v, long n, double p)
{
	long k;

	if(n == 0)
		return 0;
	k = (long)(p * n + 0.999999) - 1;
	if(k < 0)
		k = 0;
	if(k >= n)
		k = n - 1;
	return v[k];
}

static void usage(void)
{
	fprintf(stderr,
			"usage: papgen -p PORT -u USER:PASSWORD [-a ADDR] [-c CONNS]"
			" [-r RATE] [-n COUNT]\n"
			"              [-d MAX_SECONDS] [-T TIMEOUT_MS] [-U USER_PREFIX]"
			" [-N USERS] [-o OFFSET]\n"
			"              [-i PUSH_ID_PREFIX] [-L LOCAL_PORT_LO:HI]"
			" [-q LATENCY_FILE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct epoll_event evs[MAX_CONNS];
	struct rusage ru;
	double t0, t, deadline, due, wait_s, cpu;
	long next = 0, busy, alive;
	int o, k, n, sending, use_pwait2 = 1;
	const char *cred = NULL;
	FILE *f;

	while((o = getopt(argc, argv, "a:p:c:r:n:d:T:u:U:N:o:i:L:q:")) != -1) {
		switch(o) {
			case 'a': addr = optarg; break;
			case 'p': port = atoi(optarg); break;
			case 'c': nconns = atoi(optarg); break;
			case 'r': rate = atof(optarg); break;
			case 'n': count = atol(optarg); break;
			case 'd': max_secs = atof(optarg); break;
			case 'T': timeout_ms = atof(optarg); break;
			case 'u': cred = optarg; break;
			case 'U': user_prefix = optarg; break;
			case 'N': nusers = atol(optarg); break;
			case 'o': offset = atol(optarg); break;
			case 'i': id_prefix = optarg; break;
			case 'L':
				if(sscanf(optarg, "%d:%d", &lport_lo, &lport_hi) != 2
						|| lport_lo < 1 || lport_hi < lport_lo
						|| lport_hi > 65535)
					usage();
				lport_next = lport_lo;
				break;
			case 'q': lat_file = optarg; break;
			default: usage();
		}
	}
	if(port <= 0 || cred == NULL || nconns < 1 || nconns > MAX_CONNS
			|| count < 1 || nusers < 1 || max_secs <= 0)
		usage();
	signal(SIGPIPE, SIG_IGN);
	auth_b64 = b64(cred);
	lat = calloc(count, sizeof(*lat));
	lat_due = calloc(count, sizeof(*lat_due));
	if(lat == NULL || lat_due == NULL)
		die("no memory");
	epfd = epoll_create1(0);
	if(epfd < 0)
		die("epoll_create1: %s", strerror(errno));
	for(k = 0; k < nconns; k++)
		conn_open(&conns[k]);

	t0 = now();
	deadline = t0 + max_secs;
	while(answered < count) {
		t = now();
		/* past the deadline nothing more is sent: the answers to what
		 * was are awaited (at most -T ms) */
		sending = t < deadline;
		/* requests not answered in time fail with their connection */
		alive = 0;
		busy = 0;
		for(k = 0; k < nconns; k++) {
			if(conns[k].st == C_BUSY
					&& (t - conns[k].t_send) * 1e3 > timeout_ms)
				conn_fail(&conns[k]);
			if(conns[k].st != C_DEAD)
				alive++;
			if(conns[k].st == C_BUSY)
				busy++;
		}
		if(alive == 0)
			break; /* every connection failed */
		if(!sending && busy == 0)
			break;
		/* send what is due on idle connections */
		for(k = 0; sending && k < nconns && next < count; k++) {
			if(conns[k].st != C_IDLE)
				continue;
			due = rate > 0 ? t0 + next / rate : 0;
			if(due > t)
				break;
			submit(&conns[k], next, due);
			next++;
		}
		/* wait for the network, or the next submission's time */
		wait_s = 0.05;
		if(sending && rate > 0 && next < count) {
			due = t0 + next / rate - now();
			if(due < wait_s)
				wait_s = due > 0 ? due : 0;
			/* no idle connection: nothing to do before an answer */
			for(k = 0; k < nconns; k++)
				if(conns[k].st == C_IDLE)
					break;
			if(k == nconns)
				wait_s = 0.05;
		}
		if(use_pwait2) {
			struct timespec ts;
			ts.tv_sec = (time_t)wait_s;
			ts.tv_nsec = (long)((wait_s - ts.tv_sec) * 1e9);
			n = epoll_pwait2(epfd, evs, MAX_CONNS, &ts, NULL);
			if(n < 0 && errno == ENOSYS) {
				use_pwait2 = 0;
				continue;
			}
		} else {
			n = epoll_wait(epfd, evs, MAX_CONNS, (int)(wait_s * 1e3 + 0.999));
		}
		if(n < 0) {
			if(errno == EINTR)
				continue;
			die("epoll_wait: %s", strerror(errno));
		}
		for(k = 0; k < n; k++) {
			struct conn *c = evs[k].data.ptr;
			if(c->st == C_DEAD)
				continue;
			if(evs[k].events & (EPOLLERR | EPOLLHUP)) {
				conn_fail(c);
				continue;
			}
			if(c->st == C_CONNECTING) {
				int err = 0;
				socklen_t l = sizeof(err);
				if(getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0
						|| err != 0) {
					conn_fail(c);
					continue;
				}
				c->st = C_IDLE;
				want_out(c, 0);
				continue;
			}
			if(evs[k].events & EPOLLOUT)
				conn_write(c);
			if(c->st != C_DEAD && (evs[k].events & EPOLLIN))
				conn_read(c);
		}
	}
	/* what is still waiting at the deadline failed */
	for(k = 0; k < nconns; k++)
		if(conns[k].st == C_BUSY)
			conn_fail(&conns[k]);
	for(k = 0; k < nconns; k++)
		if(conns[k].fd >= 0)
			close(conns[k].fd);

	getrusage(RUSAGE_SELF, &ru);
	cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec
		  + ru.ru_stime.tv_usec / 1e6;
	n = (int)nlat;
	if(lat_file && (f = fopen(lat_file, "w")) != NULL) {
		for(k = 0; k < n; k++)
			fprintf(f, "%.3f\n", lat[k]);
		fclose(f);
	}
	qsort(lat, n, sizeof(*lat), cmp_d);
	qsort(lat_due, n, sizeof(*lat_due), cmp_d);
	printf("sent=%ld ok=%ld bad_status=%ld bad_code=%ld failed=%ld unsent=%ld"
		   " elapsed_s=%.3f rate=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f"
		   " max_ms=%.3f p50_due_ms=%.3f p99_due_ms=%.3f late_ms=%.1f"
		   " cpu_s=%.3f cpu_us=%.1f codes=",
			sent, ok, bad_status, bad_code, failed, count - sent,
			first_send >= 0 && n > 0 ? last_answer - first_send : 0,
			first_send >= 0 && n > 0 && last_answer > first_send
					? n / (last_answer - first_send)
					: 0,
			pct(lat, n, 0.5), pct(lat, n, 0.9), pct(lat, n, 0.99),
			n ? lat[n - 1] : 0, pct(lat_due, n, 0.5), pct(lat_due, n, 0.99),
			late_max * 1e3, cpu, n ? cpu * 1e6 / n : 0);
	for(k = 0; k < ncodes; k++)
		printf("%s%s%d:%d", k ? "," : "", codes[k][0] < 0 ? "http" : "",
				codes[k][0] < 0 ? -codes[k][0] : codes[k][0], codes[k][1]);
	printf("%s\n", ncodes ? "" : "-");
	return ok == count ? 0 : 1;
}
