#!/usr/bin/perl
# words.pl — hashes, arrays of hashes, regexes, sort, sprintf, string
# building and dropping; prints a deterministic report and an MD5 digest.
use strict;
use warnings;
use Digest::MD5 qw(md5_hex);

my $scale = shift // 1;
my $seed = 42;
sub rnd { $seed = ($seed * 1103515245 + 12345) % 2147483648; return $seed >> 8; }

my @syll = qw(ka lo mi nu pe ra si to vu xe zy bo);
my $digest = Digest::MD5->new;
sub out { my $line = join(' ', @_); $digest->add($line); print "$line\n"; }

# 1. Word frequencies in a generated text.
my %freq;
my @text;
for my $i (1 .. 60000 * $scale) {
	my $w = join '', map { $syll[rnd() % @syll] } 1 .. 1 + rnd() % 3;
	push @text, $w;
	$freq{$w}++;
}
my @top = (sort { $freq{$b} <=> $freq{$a} || $a cmp $b } keys %freq)[0 .. 9];
out('distinct', scalar keys %freq);
out('top', map { sprintf '%s=%d', $_, $freq{$_} } @top);

# 2. Regexes: captures, global matches, substitutions, tr.
my $joined = join ' ', @text;
my @pairs = $joined =~ /\b(k\w)(\w*)\b/g;
out('k-pairs', scalar @pairs);
(my $copy = $joined) =~ s/\b(\w)(\w*)(\w)\b/$3$2$1/g;
out('swapped', md5_hex($copy));
my $vowels = ($joined =~ tr/aeiouy//);
out('vowels', $vowels);
my %ends;
$ends{$1}++ while $joined =~ /(\w\w)\b/g;
out('ends', map { "$_:$ends{$_}" } (sort keys %ends)[0 .. 7]);
my $re = qr/^(?:(?:ka|lo)+)(mi|nu)?$/;
out('re-matches', scalar grep { /$re/ } @text);

# 3. Records: array of hashes, nested sort, sprintf formatting.
my @rec;
for my $i (1 .. 30000 * $scale) {
	push @rec, { id => $i, name => $text[$i % @text], score => rnd() % 1000 / 7,
		tags => [ map { $syll[($i + $_) % @syll] } 0 .. $i % 4 ] };
}
my @sorted = sort { $b->{score} <=> $a->{score} || $a->{name} cmp $b->{name} || $a->{id} <=> $b->{id} } @rec;
out(map { sprintf '%05d/%-8s/%8.3f', $_->{id}, $_->{name}, $_->{score} } @sorted[0 .. 4]);
my %bytag;
push @{ $bytag{$_->{tags}[-1]} }, $_->{id} for @rec;
out('bytag', map { sprintf '%s:%d', $_, scalar @{ $bytag{$_} } } sort keys %bytag);
my $sum = 0;
$sum += $_->{score} for @rec;
out('sum', sprintf '%.4f', $sum);
@rec = ();
%bytag = ();

# 4. String growth and splitting; hash of arrays churned many times.
for my $round (1 .. 5 * $scale) {
	my $s = '';
	$s .= sprintf('%x,', $_ * $round) for 1 .. 20000;
	my @f = split /,/, $s;
	my %h;
	push @{ $h{length $_} }, $_ for @f;
	out("round$round", length $s, scalar @f, join('/', map { scalar @{ $h{$_} } } sort { $a <=> $b } keys %h));
}

# 5. pack/unpack, join/reverse, local $_ and closures.
my @counters = map { my $n = $_; sub { $n += shift } } 1 .. 1000;
my $acc = 0;
$acc += $_->(3) for @counters;
out('closures', $acc);
my $packed = pack('N*', map { rnd() } 1 .. 5000);
out('packed', length $packed, md5_hex($packed), (unpack 'N3', $packed));
out('digest', $digest->hexdigest);
