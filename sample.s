	.file	"sample.c"
	.text
.Ltext0:
	.file 0 "/work/main" "/work/main/tests/real/sample.c"
	.p2align 4
	.type	cmp_entry, @function
cmp_entry:
.LVL0:
.LFB24:
	.file 1 "/work/main/tests/real/sample.c"
	.loc 1 43 1 view -0
	.cfi_startproc
	.loc 1 44 2 view .LVU1
	.loc 1 44 60 is_stmt 0 view .LVU2
	movq	(%rsi), %rdx
	.loc 1 44 22 view .LVU3
	movq	(%rdi), %rax
.LVL1:
	.loc 1 45 2 is_stmt 1 view .LVU4
	.loc 1 45 5 is_stmt 0 view .LVU5
	movq	8(%rdx), %rcx
	cmpq	%rcx, 8(%rax)
	jne	.L6
	.loc 1 47 2 is_stmt 1 view .LVU6
	.loc 1 47 9 is_stmt 0 view .LVU7
	movq	(%rdx), %rsi
.LVL2:
	.loc 1 47 9 view .LVU8
	movq	(%rax), %rdi
.LVL3:
	.loc 1 47 9 view .LVU9
	jmp	strcmp@PLT
.LVL4:
	.p2align 4,,10
	.p2align 3
.L6:
	.loc 1 46 3 is_stmt 1 view .LVU10
	.loc 1 46 34 is_stmt 0 view .LVU11
	setl	%al
.LVL5:
	.loc 1 46 34 view .LVU12
	movzbl	%al, %eax
	leal	-1(%rax,%rax), %eax
	.loc 1 48 1 view .LVU13
	ret
	.cfi_endproc
.LFE24:
	.size	cmp_entry, .-cmp_entry
	.section	.rodata.str1.1,"aMS",@progbits,1
.LC1:
	.string	"k%lu"
	.section	.rodata.str1.8,"aMS",@progbits,1
	.align 8
.LC2:
	.string	"entries %zu, top %s=%ld, %s=%ld, norm %.3f\n"
	.section	.text.startup,"ax",@progbits
	.p2align 4
	.globl	main
	.type	main, @function
main:
.LFB25:
	.loc 1 51 1 is_stmt 1 view -0
	.cfi_startproc
	.loc 1 52 2 view .LVU15
	.loc 1 53 2 view .LVU16
.LVL6:
	.loc 1 54 2 view .LVU17
	.loc 1 55 2 view .LVU18
.LBB17:
	.loc 1 55 7 view .LVU19
	.loc 1 55 20 view .LVU20
.LBE17:
	.loc 1 51 1 is_stmt 0 view .LVU21
	pushq	%r15
	.cfi_def_cfa_offset 16
	.cfi_offset 15, -16
	pushq	%r14
	.cfi_def_cfa_offset 24
	.cfi_offset 14, -24
	pushq	%r13
	.cfi_def_cfa_offset 32
	.cfi_offset 13, -32
	pushq	%r12
	.cfi_def_cfa_offset 40
	.cfi_offset 12, -40
	.loc 1 53 16 view .LVU22
	movl	$1, %r12d
	.loc 1 51 1 view .LVU23
	pushq	%rbp
	.cfi_def_cfa_offset 48
	.cfi_offset 6, -48
	pushq	%rbx
	.cfi_def_cfa_offset 56
	.cfi_offset 3, -56
	subq	$56, %rsp
	.cfi_def_cfa_offset 112
	.loc 1 51 1 view .LVU24
	movl	$200000, 12(%rsp)
	leaq	16(%rsp), %rbp
.LVL7:
	.p2align 4,,10
	.p2align 3
.L15:
.LBB33:
	.loc 1 56 3 is_stmt 1 discriminator 3 view .LVU25
	.loc 1 56 15 is_stmt 0 discriminator 3 view .LVU26
	movabsq	$6364136223846793005, %rax
	.loc 1 57 3 discriminator 3 view .LVU27
	movl	$32, %esi
	movq	%rbp, %rdi
	.loc 1 56 15 discriminator 3 view .LVU28
	imulq	%rax, %r12
.LVL8:
	.loc 1 56 8 discriminator 3 view .LVU29
	movabsq	$1442695040888963407, %rax
	addq	%rax, %r12
.LVL9:
	.loc 1 57 3 is_stmt 1 discriminator 3 view .LVU30
	movabsq	$3777893186295716171, %rax
	.loc 1 57 43 is_stmt 0 discriminator 3 view .LVU31
	movq	%r12, %rcx
	shrq	$40, %rcx
	.loc 1 57 3 discriminator 3 view .LVU32
	mulq	%rcx
	xorl	%eax, %eax
	shrq	$10, %rdx
	imulq	$5000, %rdx, %rdx
	subq	%rdx, %rcx
	leaq	.LC1(%rip), %rdx
	call	snprintf@PLT
.LVL10:
	.loc 1 58 3 is_stmt 1 discriminator 3 view .LVU33
	.loc 1 58 32 is_stmt 0 discriminator 3 view .LVU34
	movq	%r12, %rdx
	.loc 1 58 25 discriminator 3 view .LVU35
	movq	%r12, %rcx
	.loc 1 58 32 discriminator 3 view .LVU36
	movabsq	$2951479051793528259, %rax
	shrq	$22, %rdx
	.loc 1 58 25 discriminator 3 view .LVU37
	shrq	$20, %rcx
	.loc 1 58 32 discriminator 3 view .LVU38
	mulq	%rdx
	movq	%rdx, %r13
	andq	$-4, %rdx
	shrq	$2, %r13
	addq	%r13, %rdx
	leaq	(%rdx,%rdx,4), %rax
	salq	$2, %rax
	subq	%rax, %rcx
.LBB18:
.LBB19:
.LBB20:
.LBB21:
	.loc 1 22 9 discriminator 3 view .LVU39
	movzbl	16(%rsp), %eax
.LBE21:
.LBE20:
.LBE19:
.LBE18:
	.loc 1 58 32 discriminator 3 view .LVU40
	movq	%rcx, %r13
.LVL11:
.LBB31:
.LBI18:
	.loc 1 27 13 is_stmt 1 discriminator 3 view .LVU41
.LBB29:
	.loc 1 29 2 discriminator 3 view .LVU42
.LBB25:
.LBI20:
	.loc 1 19 22 discriminator 3 view .LVU43
.LBB22:
	.loc 1 21 2 discriminator 3 view .LVU44
	.loc 1 22 2 discriminator 3 view .LVU45
	.loc 1 22 9 discriminator 3 view .LVU46
	testb	%al, %al
	je	.L29
	.loc 1 22 9 is_stmt 0 view .LVU47
	movq	%rbp, %rdx
	.loc 1 21 16 view .LVU48
	movl	$5381, %ebx
.LVL12:
	.p2align 4,,10
	.p2align 3
.L10:
	.loc 1 23 3 is_stmt 1 view .LVU49
	.loc 1 23 9 is_stmt 0 view .LVU50
	movq	%rbx, %rcx
	.loc 1 23 33 view .LVU51
	addq	$1, %rdx
.LVL13:
	.loc 1 23 9 view .LVU52
	salq	$5, %rcx
	addq	%rcx, %rbx
.LVL14:
	.loc 1 23 5 view .LVU53
	addq	%rax, %rbx
.LVL15:
	.loc 1 22 9 is_stmt 1 view .LVU54
	movzbl	(%rdx), %eax
	testb	%al, %al
	jne	.L10
.LBE22:
.LBE25:
	.loc 1 29 16 is_stmt 0 view .LVU55
	andl	$1023, %ebx
.LVL16:
.L9:
.LBB26:
.LBB23:
	.loc 1 24 2 is_stmt 1 view .LVU56
.LBE23:
.LBE26:
	.loc 1 30 2 view .LVU57
.LBB27:
	.loc 1 30 7 view .LVU58
	.loc 1 30 21 is_stmt 0 view .LVU59
	leaq	buckets(%rip), %rax
	movq	(%rax,%rbx,8), %r14
.LVL17:
	.loc 1 30 37 is_stmt 1 view .LVU60
	testq	%r14, %r14
	je	.L11
	.loc 1 30 21 is_stmt 0 view .LVU61
	movq	%r14, %r15
	jmp	.L14
.LVL18:
	.p2align 4,,10
	.p2align 3
.L12:
	.loc 1 30 42 is_stmt 1 view .LVU62
	movq	16(%r15), %r15
.LVL19:
	.loc 1 30 37 view .LVU63
	testq	%r15, %r15
	je	.L11
.L14:
	.loc 1 31 3 view .LVU64
	.loc 1 31 7 is_stmt 0 view .LVU65
	movq	(%r15), %rdi
	movq	%rbp, %rsi
	call	strcmp@PLT
.LVL20:
	.loc 1 31 6 view .LVU66
	testl	%eax, %eax
	jne	.L12
	.loc 1 32 4 is_stmt 1 view .LVU67
	.loc 1 32 13 is_stmt 0 view .LVU68
	addq	%r13, 8(%r15)
	.loc 1 33 4 is_stmt 1 view .LVU69
.LVL21:
.L13:
	.loc 1 33 4 is_stmt 0 view .LVU70
.LBE27:
.LBE29:
.LBE31:
	.loc 1 55 31 is_stmt 1 view .LVU71
	.loc 1 55 20 view .LVU72
	subl	$1, 12(%rsp)
	jne	.L15
	leaq	buckets(%rip), %r12
.LVL22:
	.loc 1 55 20 is_stmt 0 view .LVU73
.LBE33:
	.loc 1 60 9 view .LVU74
	xorl	%ebx, %ebx
	leaq	8192(%r12), %r14
.LBB34:
	.loc 1 55 20 view .LVU75
	movq	%r12, %rdx
	.p2align 4,,10
	.p2align 3
.L18:
.LVL23:
	.loc 1 55 20 view .LVU76
.LBE34:
.LBB35:
	.loc 1 62 3 is_stmt 1 view .LVU77
.LBB36:
	.loc 1 62 8 view .LVU78
	.loc 1 62 22 is_stmt 0 view .LVU79
	movq	(%rdx), %rax
.LVL24:
	.loc 1 62 38 is_stmt 1 view .LVU80
	testq	%rax, %rax
	je	.L16
	.p2align 4,,10
	.p2align 3
.L17:
	.loc 1 63 4 discriminator 3 view .LVU81
	.loc 1 62 43 is_stmt 0 discriminator 3 view .LVU82
	movq	16(%rax), %rax
.LVL25:
	.loc 1 63 5 discriminator 3 view .LVU83
	addq	$1, %rbx
.LVL26:
	.loc 1 62 43 is_stmt 1 discriminator 3 view .LVU84
	.loc 1 62 38 discriminator 3 view .LVU85
	testq	%rax, %rax
	jne	.L17
.L16:
	.loc 1 62 38 is_stmt 0 discriminator 3 view .LVU86
.LBE36:
	.loc 1 61 34 is_stmt 1 discriminator 2 view .LVU87
.LVL27:
	.loc 1 61 20 discriminator 2 view .LVU88
	addq	$8, %rdx
.LVL28:
	.loc 1 61 20 is_stmt 0 discriminator 2 view .LVU89
	cmpq	%rdx, %r14
	jne	.L18
	.loc 1 61 20 discriminator 2 view .LVU90
.LBE35:
	.loc 1 64 2 is_stmt 1 view .LVU91
	.loc 1 64 23 is_stmt 0 view .LVU92
	leaq	0(,%rbx,8), %r13
	movq	%r13, %rdi
	call	malloc@PLT
.LVL29:
	.loc 1 65 9 view .LVU93
	xorl	%edx, %edx
	.loc 1 64 23 view .LVU94
	movq	%rax, %rbp
.LVL30:
	.loc 1 65 2 is_stmt 1 view .LVU95
	.loc 1 66 2 view .LVU96
.LBB37:
	.loc 1 66 7 view .LVU97
	.loc 1 66 20 view .LVU98
	.p2align 4,,10
	.p2align 3
.L21:
	.loc 1 67 3 view .LVU99
.LBB38:
	.loc 1 67 8 view .LVU100
	.loc 1 67 22 is_stmt 0 view .LVU101
	movq	(%r12), %rax
.LVL31:
	.loc 1 67 38 is_stmt 1 view .LVU102
	testq	%rax, %rax
	je	.L19
	.p2align 4,,10
	.p2align 3
.L20:
	.loc 1 68 4 discriminator 3 view .LVU103
	.loc 1 68 9 is_stmt 0 discriminator 3 view .LVU104
	addq	$1, %rdx
.LVL32:
	.loc 1 68 13 discriminator 3 view .LVU105
	movq	%rax, -8(%rbp,%rdx,8)
	.loc 1 67 43 is_stmt 1 discriminator 3 view .LVU106
	movq	16(%rax), %rax
.LVL33:
	.loc 1 67 38 discriminator 3 view .LVU107
	testq	%rax, %rax
	jne	.L20
.L19:
	.loc 1 67 38 is_stmt 0 discriminator 3 view .LVU108
.LBE38:
	.loc 1 66 34 is_stmt 1 discriminator 2 view .LVU109
.LVL34:
	.loc 1 66 20 discriminator 2 view .LVU110
	addq	$8, %r12
.LVL35:
	.loc 1 66 20 is_stmt 0 discriminator 2 view .LVU111
	cmpq	%r12, %r14
	jne	.L21
	.loc 1 66 20 discriminator 2 view .LVU112
.LBE37:
	.loc 1 69 2 is_stmt 1 view .LVU113
	leaq	cmp_entry(%rip), %rcx
	movl	$8, %edx
.LVL36:
	.loc 1 69 2 is_stmt 0 view .LVU114
	movq	%rbx, %rsi
	movq	%rbp, %rdi
	call	qsort@PLT
.LVL37:
	.loc 1 70 2 is_stmt 1 view .LVU115
	.loc 1 71 2 view .LVU116
.LBB39:
	.loc 1 71 7 view .LVU117
	.loc 1 71 23 view .LVU118
	testq	%rbx, %rbx
	je	.L30
	movq	%rbp, %rax
	leaq	0(%r13,%rbp), %r12
.LVL38:
	.loc 1 71 23 is_stmt 0 view .LVU119
.LBE39:
	.loc 1 70 9 view .LVU120
	pxor	%xmm1, %xmm1
.LVL39:
.L23:
.LBB40:
	.loc 1 72 3 is_stmt 1 discriminator 3 view .LVU121
	.loc 1 72 25 is_stmt 0 discriminator 3 view .LVU122
	movq	(%rax), %rdx
	.loc 1 72 11 discriminator 3 view .LVU123
	pxor	%xmm0, %xmm0
	.loc 1 71 23 discriminator 3 view .LVU124
	addq	$8, %rax
	.loc 1 72 11 discriminator 3 view .LVU125
	cvtsi2sdq	8(%rdx), %xmm0
	.loc 1 72 33 discriminator 3 view .LVU126
	mulsd	%xmm0, %xmm0
	.loc 1 72 8 discriminator 3 view .LVU127
	addsd	%xmm0, %xmm1
.LVL40:
	.loc 1 71 29 is_stmt 1 discriminator 3 view .LVU128
	.loc 1 71 23 discriminator 3 view .LVU129
	cmpq	%rax, %r12
	jne	.L23
.LBE40:
	.loc 1 73 2 view .LVU130
	pxor	%xmm0, %xmm0
	ucomisd	%xmm1, %xmm0
	ja	.L53
.LVL41:
.L22:
	.loc 1 74 25 is_stmt 0 view .LVU131
	movq	8(%rbp), %rax
	.loc 1 73 76 view .LVU132
	movq	0(%rbp), %rdx
	.loc 1 73 2 view .LVU133
	sqrtsd	%xmm1, %xmm1
	movq	%rbx, %rsi
	leaq	.LC2(%rip), %rdi
	leaq	0(%r13,%rbp), %r12
	movq	8(%rdx), %rcx
	movq	8(%rax), %r9
	movq	(%rax), %r8
	movq	(%rdx), %rdx
	movapd	%xmm1, %xmm0
	movl	$1, %eax
	call	printf@PLT
.LVL42:
	.loc 1 75 2 is_stmt 1 view .LVU134
.LBB41:
	.loc 1 75 7 view .LVU135
	.loc 1 75 23 view .LVU136
	testq	%rbx, %rbx
	je	.L27
.L26:
	.loc 1 75 23 is_stmt 0 view .LVU137
	movq	%rbp, %rbx
.LVL43:
.L28:
	.loc 1 76 3 is_stmt 1 discriminator 3 view .LVU138
	.loc 1 76 14 is_stmt 0 discriminator 3 view .LVU139
	movq	(%rbx), %rax
	.loc 1 75 23 discriminator 3 view .LVU140
	addq	$8, %rbx
	.loc 1 76 3 discriminator 3 view .LVU141
	movq	(%rax), %rdi
	call	free@PLT
.LVL44:
	.loc 1 77 3 is_stmt 1 discriminator 3 view .LVU142
	movq	-8(%rbx), %rdi
	call	free@PLT
.LVL45:
	.loc 1 75 29 discriminator 3 view .LVU143
	.loc 1 75 23 discriminator 3 view .LVU144
	cmpq	%r12, %rbx
	jne	.L28
.L27:
	.loc 1 75 23 is_stmt 0 discriminator 3 view .LVU145
.LBE41:
	.loc 1 79 2 is_stmt 1 view .LVU146
	movq	%rbp, %rdi
	call	free@PLT
.LVL46:
	.loc 1 80 2 view .LVU147
	.loc 1 81 1 is_stmt 0 view .LVU148
	addq	$56, %rsp
	.cfi_remember_state
	.cfi_def_cfa_offset 56
	xorl	%eax, %eax
	popq	%rbx
	.cfi_def_cfa_offset 48
	popq	%rbp
	.cfi_def_cfa_offset 40
.LVL47:
	.loc 1 81 1 view .LVU149
	popq	%r12
	.cfi_def_cfa_offset 32
	popq	%r13
	.cfi_def_cfa_offset 24
	popq	%r14
	.cfi_def_cfa_offset 16
	popq	%r15
	.cfi_def_cfa_offset 8
	ret
.LVL48:
	.p2align 4,,10
	.p2align 3
.L11:
	.cfi_restore_state
.LBB42:
.LBB32:
.LBB30:
	.loc 1 35 2 is_stmt 1 view .LVU150
	.loc 1 35 20 is_stmt 0 view .LVU151
	movl	$24, %edi
	call	malloc@PLT
.LVL49:
	.loc 1 36 11 view .LVU152
	movq	%rbp, %rdi
	.loc 1 35 20 view .LVU153
	movq	%rax, (%rsp)
.LVL50:
	.loc 1 36 2 is_stmt 1 view .LVU154
	.loc 1 36 11 is_stmt 0 view .LVU155
	call	strdup@PLT
.LVL51:
	.loc 1 36 9 view .LVU156
	movq	(%rsp), %rdx
	movq	%rax, (%rdx)
	.loc 1 37 2 is_stmt 1 view .LVU157
	.loc 1 39 13 is_stmt 0 view .LVU158
	leaq	buckets(%rip), %rax
	.loc 1 37 11 view .LVU159
	movq	%r13, 8(%rdx)
	.loc 1 38 2 is_stmt 1 view .LVU160
	.loc 1 38 10 is_stmt 0 view .LVU161
	movq	%r14, 16(%rdx)
	.loc 1 39 2 is_stmt 1 view .LVU162
	.loc 1 39 13 is_stmt 0 view .LVU163
	movq	%rdx, (%rax,%rbx,8)
	jmp	.L13
.LVL52:
	.p2align 4,,10
	.p2align 3
.L29:
.LBB28:
.LBB24:
	.loc 1 22 9 view .LVU164
	movl	$261, %ebx
	jmp	.L9
.LVL53:
.L30:
	.loc 1 22 9 view .LVU165
.LBE24:
.LBE28:
.LBE30:
.LBE32:
.LBE42:
	.loc 1 70 9 view .LVU166
	pxor	%xmm1, %xmm1
	jmp	.L22
.LVL54:
.L53:
	.loc 1 73 2 view .LVU167
	movapd	%xmm1, %xmm0
	call	sqrt@PLT
.LVL55:
	.loc 1 74 25 view .LVU168
	movq	8(%rbp), %rdx
	.loc 1 73 76 view .LVU169
	movq	0(%rbp), %rax
	.loc 1 73 2 view .LVU170
	movq	%rbx, %rsi
	leaq	.LC2(%rip), %rdi
	movq	8(%rax), %rcx
	movq	8(%rdx), %r9
	movq	(%rdx), %r8
	movq	(%rax), %rdx
	movl	$1, %eax
	call	printf@PLT
.LVL56:
	.loc 1 75 2 is_stmt 1 view .LVU171
.LBB43:
	.loc 1 75 7 view .LVU172
	.loc 1 75 23 view .LVU173
	jmp	.L26
.LBE43:
	.cfi_endproc
.LFE25:
	.size	main, .-main
	.local	buckets
	.comm	buckets,8192,32
	.text
.Letext0:
	.file 2 "/usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h"
	.file 3 "/usr/include/stdlib.h"
	.file 4 "/usr/include/string.h"
	.file 5 "/usr/include/stdio.h"
	.file 6 "/usr/include/x86_64-linux-gnu/bits/mathcalls.h"
	.section	.debug_info,"",@progbits
.Ldebug_info0:
	.long	0x643
	.value	0x5
	.byte	0x1
	.byte	0x8
	.long	.Ldebug_abbrev0
	.uleb128 0x1b
	.long	.LASF31
	.byte	0x1d
	.long	.LASF0
	.long	.LASF1
	.long	.LLRL27
	.quad	0
	.long	.Ldebug_line0
	.uleb128 0x3
	.byte	0x1
	.byte	0x8
	.long	.LASF2
	.uleb128 0x3
	.byte	0x2
	.byte	0x7
	.long	.LASF3
	.uleb128 0x3
	.byte	0x4
	.byte	0x7
	.long	.LASF4
	.uleb128 0x3
	.byte	0x8
	.byte	0x7
	.long	.LASF5
	.uleb128 0x3
	.byte	0x1
	.byte	0x6
	.long	.LASF6
	.uleb128 0x3
	.byte	0x2
	.byte	0x5
	.long	.LASF7
	.uleb128 0x1c
	.byte	0x4
	.byte	0x5
	.string	"int"
	.uleb128 0x3
	.byte	0x8
	.byte	0x5
	.long	.LASF8
	.uleb128 0x1d
	.byte	0x8
	.uleb128 0x5
	.long	0x69
	.uleb128 0x3
	.byte	0x1
	.byte	0x6
	.long	.LASF9
	.uleb128 0xf
	.long	0x69
	.uleb128 0x3
	.byte	0x4
	.byte	0x4
	.long	.LASF10
	.uleb128 0x3
	.byte	0x8
	.byte	0x4
	.long	.LASF11
	.uleb128 0x1e
	.long	.LASF14
	.byte	0x2
	.byte	0xd6
	.byte	0x17
	.long	0x3f
	.uleb128 0x3
	.byte	0x8
	.byte	0x5
	.long	.LASF12
	.uleb128 0x3
	.byte	0x8
	.byte	0x7
	.long	.LASF13
	.uleb128 0x10
	.long	0x69
	.long	0xad
	.uleb128 0x1f
	.long	0x3f
	.byte	0x1f
	.byte	0
	.uleb128 0x20
	.long	.LASF15
	.byte	0x3
	.value	0x33d
	.byte	0xf
	.long	0xba
	.uleb128 0x5
	.long	0xbf
	.uleb128 0x21
	.long	0x54
	.long	0xd3
	.uleb128 0x1
	.long	0xd3
	.uleb128 0x1
	.long	0xd3
	.byte	0
	.uleb128 0x5
	.long	0xd8
	.uleb128 0x22
	.uleb128 0x5
	.long	0x70
	.uleb128 0x23
	.long	.LASF32
	.byte	0x18
	.byte	0x1
	.byte	0xb
	.byte	0x8
	.long	0x111
	.uleb128 0x24
	.string	"key"
	.byte	0x1
	.byte	0xc
	.byte	0x8
	.long	0x64
	.byte	0
	.uleb128 0x11
	.long	.LASF16
	.byte	0xd
	.byte	0x7
	.long	0x5b
	.byte	0x8
	.uleb128 0x11
	.long	.LASF17
	.byte	0xe
	.byte	0x10
	.long	0x116
	.byte	0x10
	.byte	0
	.uleb128 0xf
	.long	0xde
	.uleb128 0x5
	.long	0xde
	.uleb128 0x10
	.long	0x116
	.long	0x12c
	.uleb128 0x25
	.long	0x3f
	.value	0x3ff
	.byte	0
	.uleb128 0x26
	.long	.LASF26
	.byte	0x1
	.byte	0x11
	.byte	0x16
	.long	0x11b
	.uleb128 0x9
	.byte	0x3
	.quad	buckets
	.uleb128 0x9
	.long	.LASF18
	.byte	0x4
	.byte	0xbb
	.byte	0xe
	.long	0x64
	.long	0x158
	.uleb128 0x1
	.long	0xd9
	.byte	0
	.uleb128 0x9
	.long	.LASF19
	.byte	0x4
	.byte	0x9c
	.byte	0xc
	.long	0x54
	.long	0x173
	.uleb128 0x1
	.long	0xd9
	.uleb128 0x1
	.long	0xd9
	.byte	0
	.uleb128 0x12
	.long	.LASF22
	.value	0x238
	.long	0x184
	.uleb128 0x1
	.long	0x62
	.byte	0
	.uleb128 0xa
	.long	.LASF20
	.byte	0x5
	.value	0x164
	.byte	0xc
	.long	0x54
	.long	0x19c
	.uleb128 0x1
	.long	0xd9
	.uleb128 0x13
	.byte	0
	.uleb128 0x9
	.long	.LASF21
	.byte	0x6
	.byte	0x8f
	.byte	0x1
	.long	0x7c
	.long	0x1b2
	.uleb128 0x1
	.long	0x7c
	.byte	0
	.uleb128 0x12
	.long	.LASF23
	.value	0x353
	.long	0x1d2
	.uleb128 0x1
	.long	0x62
	.uleb128 0x1
	.long	0x83
	.uleb128 0x1
	.long	0x83
	.uleb128 0x1
	.long	0xad
	.byte	0
	.uleb128 0xa
	.long	.LASF24
	.byte	0x3
	.value	0x229
	.byte	0xe
	.long	0x62
	.long	0x1e9
	.uleb128 0x1
	.long	0x83
	.byte	0
	.uleb128 0xa
	.long	.LASF25
	.byte	0x5
	.value	0x17a
	.byte	0xc
	.long	0x54
	.long	0x20b
	.uleb128 0x1
	.long	0x64
	.uleb128 0x1
	.long	0x83
	.uleb128 0x1
	.long	0xd9
	.uleb128 0x13
	.byte	0
	.uleb128 0x27
	.long	.LASF33
	.byte	0x1
	.byte	0x32
	.byte	0x5
	.long	0x54
	.quad	.LFB25
	.quad	.LFE25-.LFB25
	.uleb128 0x1
	.byte	0x9c
	.long	0x568
	.uleb128 0x28
	.long	.LASF29
	.byte	0x1
	.byte	0x34
	.byte	0x6
	.long	0x54
	.uleb128 0x14
	.long	.LASF27
	.byte	0x35
	.byte	0x10
	.long	0x3f
	.long	.LLST4
	.long	.LVUS4
	.uleb128 0x29
	.string	"key"
	.byte	0x1
	.byte	0x36
	.byte	0x7
	.long	0x9d
	.uleb128 0x3
	.byte	0x91
	.sleb128 -96
	.uleb128 0x4
	.string	"n"
	.byte	0x3c
	.byte	0x9
	.long	0x83
	.long	.LLST5
	.long	.LVUS5
	.uleb128 0x4
	.string	"all"
	.byte	0x40
	.byte	0x11
	.long	0x568
	.long	.LLST6
	.long	.LVUS6
	.uleb128 0x4
	.string	"k"
	.byte	0x41
	.byte	0x9
	.long	0x83
	.long	.LLST7
	.long	.LVUS7
	.uleb128 0x14
	.long	.LASF28
	.byte	0x46
	.byte	0x9
	.long	0x7c
	.long	.LLST8
	.long	.LVUS8
	.uleb128 0xb
	.long	.LLRL9
	.long	0x3d0
	.uleb128 0x4
	.string	"i"
	.byte	0x37
	.byte	0xb
	.long	0x54
	.long	.LLST10
	.long	.LVUS10
	.uleb128 0x15
	.long	0x5e4
	.quad	.LBI18
	.byte	.LVU41
	.long	.LLRL11
	.byte	0x3a
	.byte	0x3
	.long	0x3a8
	.uleb128 0xc
	.long	0x5fc
	.long	.LLST12
	.long	.LVUS12
	.uleb128 0xc
	.long	0x5f1
	.long	.LLST13
	.long	.LVUS13
	.uleb128 0x16
	.long	.LLRL11
	.uleb128 0x2a
	.long	0x608
	.uleb128 0xd
	.long	0x611
	.long	.LLST14
	.long	.LVUS14
	.uleb128 0x15
	.long	0x626
	.quad	.LBI20
	.byte	.LVU43
	.long	.LLRL15
	.byte	0x1d
	.byte	0x14
	.long	0x340
	.uleb128 0xc
	.long	0x633
	.long	.LLST16
	.long	.LVUS16
	.uleb128 0x16
	.long	.LLRL15
	.uleb128 0xd
	.long	0x63c
	.long	.LLST17
	.long	.LVUS17
	.byte	0
	.byte	0
	.uleb128 0x2b
	.long	0x61a
	.quad	.LBB27
	.quad	.LBE27-.LBB27
	.long	0x37b
	.uleb128 0xd
	.long	0x61b
	.long	.LLST18
	.long	.LVUS18
	.uleb128 0x7
	.quad	.LVL20
	.long	0x158
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x54
	.uleb128 0x2
	.byte	0x76
	.sleb128 0
	.byte	0
	.byte	0
	.uleb128 0x6
	.quad	.LVL49
	.long	0x1d2
	.long	0x392
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x55
	.uleb128 0x1
	.byte	0x48
	.byte	0
	.uleb128 0x7
	.quad	.LVL51
	.long	0x142
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x55
	.uleb128 0x2
	.byte	0x76
	.sleb128 0
	.byte	0
	.byte	0
	.byte	0
	.uleb128 0x7
	.quad	.LVL10
	.long	0x1e9
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x55
	.uleb128 0x2
	.byte	0x76
	.sleb128 0
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x54
	.uleb128 0x2
	.byte	0x8
	.byte	0x20
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x51
	.uleb128 0x9
	.byte	0x3
	.quad	.LC1
	.byte	0
	.byte	0
	.uleb128 0x17
	.quad	.LBB35
	.quad	.LBE35-.LBB35
	.long	0x41a
	.uleb128 0x4
	.string	"b"
	.byte	0x3d
	.byte	0xb
	.long	0x54
	.long	.LLST19
	.long	.LVUS19
	.uleb128 0x18
	.quad	.LBB36
	.quad	.LBE36-.LBB36
	.uleb128 0x4
	.string	"e"
	.byte	0x3e
	.byte	0x16
	.long	0x116
	.long	.LLST20
	.long	.LVUS20
	.byte	0
	.byte	0
	.uleb128 0x17
	.quad	.LBB37
	.quad	.LBE37-.LBB37
	.long	0x464
	.uleb128 0x4
	.string	"b"
	.byte	0x42
	.byte	0xb
	.long	0x54
	.long	.LLST21
	.long	.LVUS21
	.uleb128 0x18
	.quad	.LBB38
	.quad	.LBE38-.LBB38
	.uleb128 0x4
	.string	"e"
	.byte	0x43
	.byte	0x16
	.long	0x116
	.long	.LLST22
	.long	.LVUS22
	.byte	0
	.byte	0
	.uleb128 0xb
	.long	.LLRL23
	.long	0x47f
	.uleb128 0x4
	.string	"i"
	.byte	0x47
	.byte	0xe
	.long	0x83
	.long	.LLST24
	.long	.LVUS24
	.byte	0
	.uleb128 0xb
	.long	.LLRL25
	.long	0x4b4
	.uleb128 0x4
	.string	"i"
	.byte	0x4b
	.byte	0xe
	.long	0x83
	.long	.LLST26
	.long	.LVUS26
	.uleb128 0xe
	.quad	.LVL44
	.long	0x173
	.uleb128 0xe
	.quad	.LVL45
	.long	0x173
	.byte	0
	.uleb128 0x6
	.quad	.LVL29
	.long	0x1d2
	.long	0x4cc
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x55
	.uleb128 0x2
	.byte	0x7d
	.sleb128 0
	.byte	0
	.uleb128 0x6
	.quad	.LVL37
	.long	0x1b2
	.long	0x4fc
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x55
	.uleb128 0x2
	.byte	0x76
	.sleb128 0
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x54
	.uleb128 0x2
	.byte	0x73
	.sleb128 0
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x51
	.uleb128 0x1
	.byte	0x38
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x52
	.uleb128 0x9
	.byte	0x3
	.quad	cmp_entry
	.byte	0
	.uleb128 0x6
	.quad	.LVL42
	.long	0x184
	.long	0x521
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x55
	.uleb128 0x9
	.byte	0x3
	.quad	.LC2
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x54
	.uleb128 0x2
	.byte	0x73
	.sleb128 0
	.byte	0
	.uleb128 0x6
	.quad	.LVL46
	.long	0x173
	.long	0x539
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x55
	.uleb128 0x2
	.byte	0x76
	.sleb128 0
	.byte	0
	.uleb128 0xe
	.quad	.LVL55
	.long	0x19c
	.uleb128 0x7
	.quad	.LVL56
	.long	0x184
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x55
	.uleb128 0x9
	.byte	0x3
	.quad	.LC2
	.uleb128 0x2
	.uleb128 0x1
	.byte	0x54
	.uleb128 0x2
	.byte	0x73
	.sleb128 0
	.byte	0
	.byte	0
	.uleb128 0x5
	.long	0x116
	.uleb128 0x2c
	.long	.LASF34
	.byte	0x1
	.byte	0x2a
	.byte	0xc
	.long	0x54
	.quad	.LFB24
	.quad	.LFE24-.LFB24
	.uleb128 0x1
	.byte	0x9c
	.long	0x5df
	.uleb128 0x19
	.string	"a"
	.byte	0x22
	.long	0xd3
	.long	.LLST0
	.long	.LVUS0
	.uleb128 0x19
	.string	"b"
	.byte	0x31
	.long	0xd3
	.long	.LLST1
	.long	.LVUS1
	.uleb128 0x4
	.string	"x"
	.byte	0x2c
	.byte	0x16
	.long	0x5df
	.long	.LLST2
	.long	.LVUS2
	.uleb128 0x4
	.string	"y"
	.byte	0x2c
	.byte	0x3c
	.long	0x5df
	.long	.LLST3
	.long	.LVUS3
	.uleb128 0x2d
	.quad	.LVL4
	.long	0x158
	.byte	0
	.uleb128 0x5
	.long	0x111
	.uleb128 0x2e
	.string	"put"
	.byte	0x1
	.byte	0x1b
	.byte	0xd
	.byte	0x1
	.long	0x626
	.uleb128 0x1a
	.string	"key"
	.byte	0x1b
	.byte	0x1d
	.long	0xd9
	.uleb128 0x2f
	.long	.LASF16
	.byte	0x1
	.byte	0x1b
	.byte	0x27
	.long	0x5b
	.uleb128 0x8
	.string	"b"
	.byte	0x1d
	.byte	0x10
	.long	0x3f
	.uleb128 0x8
	.string	"e"
	.byte	0x23
	.byte	0x10
	.long	0x116
	.uleb128 0x30
	.uleb128 0x8
	.string	"e"
	.byte	0x1e
	.byte	0x15
	.long	0x116
	.byte	0
	.byte	0
	.uleb128 0x31
	.long	.LASF30
	.byte	0x1
	.byte	0x13
	.byte	0x16
	.long	0x3f
	.byte	0x1
	.uleb128 0x1a
	.string	"s"
	.byte	0x13
	.byte	0x27
	.long	0xd9
	.uleb128 0x8
	.string	"h"
	.byte	0x15
	.byte	0x10
	.long	0x3f
	.byte	0
	.byte	0
	.section	.debug_abbrev,"",@progbits
.Ldebug_abbrev0:
	.uleb128 0x1
	.uleb128 0x5
	.byte	0
	.uleb128 0x49
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x2
	.uleb128 0x49
	.byte	0
	.uleb128 0x2
	.uleb128 0x18
	.uleb128 0x7e
	.uleb128 0x18
	.byte	0
	.byte	0
	.uleb128 0x3
	.uleb128 0x24
	.byte	0
	.uleb128 0xb
	.uleb128 0xb
	.uleb128 0x3e
	.uleb128 0xb
	.uleb128 0x3
	.uleb128 0xe
	.byte	0
	.byte	0
	.uleb128 0x4
	.uleb128 0x34
	.byte	0
	.uleb128 0x3
	.uleb128 0x8
	.uleb128 0x3a
	.uleb128 0x21
	.sleb128 1
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x2
	.uleb128 0x17
	.uleb128 0x2137
	.uleb128 0x17
	.byte	0
	.byte	0
	.uleb128 0x5
	.uleb128 0xf
	.byte	0
	.uleb128 0xb
	.uleb128 0x21
	.sleb128 8
	.uleb128 0x49
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x6
	.uleb128 0x48
	.byte	0x1
	.uleb128 0x7d
	.uleb128 0x1
	.uleb128 0x7f
	.uleb128 0x13
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x7
	.uleb128 0x48
	.byte	0x1
	.uleb128 0x7d
	.uleb128 0x1
	.uleb128 0x7f
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x8
	.uleb128 0x34
	.byte	0
	.uleb128 0x3
	.uleb128 0x8
	.uleb128 0x3a
	.uleb128 0x21
	.sleb128 1
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x49
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x9
	.uleb128 0x2e
	.byte	0x1
	.uleb128 0x3f
	.uleb128 0x19
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x27
	.uleb128 0x19
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x3c
	.uleb128 0x19
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0xa
	.uleb128 0x2e
	.byte	0x1
	.uleb128 0x3f
	.uleb128 0x19
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0x5
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x27
	.uleb128 0x19
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x3c
	.uleb128 0x19
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0xb
	.uleb128 0xb
	.byte	0x1
	.uleb128 0x55
	.uleb128 0x17
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0xc
	.uleb128 0x5
	.byte	0
	.uleb128 0x31
	.uleb128 0x13
	.uleb128 0x2
	.uleb128 0x17
	.uleb128 0x2137
	.uleb128 0x17
	.byte	0
	.byte	0
	.uleb128 0xd
	.uleb128 0x34
	.byte	0
	.uleb128 0x31
	.uleb128 0x13
	.uleb128 0x2
	.uleb128 0x17
	.uleb128 0x2137
	.uleb128 0x17
	.byte	0
	.byte	0
	.uleb128 0xe
	.uleb128 0x48
	.byte	0
	.uleb128 0x7d
	.uleb128 0x1
	.uleb128 0x7f
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0xf
	.uleb128 0x26
	.byte	0
	.uleb128 0x49
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x10
	.uleb128 0x1
	.byte	0x1
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x11
	.uleb128 0xd
	.byte	0
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0x3a
	.uleb128 0x21
	.sleb128 1
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x38
	.uleb128 0xb
	.byte	0
	.byte	0
	.uleb128 0x12
	.uleb128 0x2e
	.byte	0x1
	.uleb128 0x3f
	.uleb128 0x19
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0x3a
	.uleb128 0x21
	.sleb128 3
	.uleb128 0x3b
	.uleb128 0x5
	.uleb128 0x39
	.uleb128 0x21
	.sleb128 13
	.uleb128 0x27
	.uleb128 0x19
	.uleb128 0x3c
	.uleb128 0x19
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x13
	.uleb128 0x18
	.byte	0
	.byte	0
	.byte	0
	.uleb128 0x14
	.uleb128 0x34
	.byte	0
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0x3a
	.uleb128 0x21
	.sleb128 1
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x2
	.uleb128 0x17
	.uleb128 0x2137
	.uleb128 0x17
	.byte	0
	.byte	0
	.uleb128 0x15
	.uleb128 0x1d
	.byte	0x1
	.uleb128 0x31
	.uleb128 0x13
	.uleb128 0x52
	.uleb128 0x1
	.uleb128 0x2138
	.uleb128 0xb
	.uleb128 0x55
	.uleb128 0x17
	.uleb128 0x58
	.uleb128 0x21
	.sleb128 1
	.uleb128 0x59
	.uleb128 0xb
	.uleb128 0x57
	.uleb128 0xb
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x16
	.uleb128 0xb
	.byte	0x1
	.uleb128 0x55
	.uleb128 0x17
	.byte	0
	.byte	0
	.uleb128 0x17
	.uleb128 0xb
	.byte	0x1
	.uleb128 0x11
	.uleb128 0x1
	.uleb128 0x12
	.uleb128 0x7
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x18
	.uleb128 0xb
	.byte	0x1
	.uleb128 0x11
	.uleb128 0x1
	.uleb128 0x12
	.uleb128 0x7
	.byte	0
	.byte	0
	.uleb128 0x19
	.uleb128 0x5
	.byte	0
	.uleb128 0x3
	.uleb128 0x8
	.uleb128 0x3a
	.uleb128 0x21
	.sleb128 1
	.uleb128 0x3b
	.uleb128 0x21
	.sleb128 42
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x2
	.uleb128 0x17
	.uleb128 0x2137
	.uleb128 0x17
	.byte	0
	.byte	0
	.uleb128 0x1a
	.uleb128 0x5
	.byte	0
	.uleb128 0x3
	.uleb128 0x8
	.uleb128 0x3a
	.uleb128 0x21
	.sleb128 1
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x49
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x1b
	.uleb128 0x11
	.byte	0x1
	.uleb128 0x25
	.uleb128 0xe
	.uleb128 0x13
	.uleb128 0xb
	.uleb128 0x3
	.uleb128 0x1f
	.uleb128 0x1b
	.uleb128 0x1f
	.uleb128 0x55
	.uleb128 0x17
	.uleb128 0x11
	.uleb128 0x1
	.uleb128 0x10
	.uleb128 0x17
	.byte	0
	.byte	0
	.uleb128 0x1c
	.uleb128 0x24
	.byte	0
	.uleb128 0xb
	.uleb128 0xb
	.uleb128 0x3e
	.uleb128 0xb
	.uleb128 0x3
	.uleb128 0x8
	.byte	0
	.byte	0
	.uleb128 0x1d
	.uleb128 0xf
	.byte	0
	.uleb128 0xb
	.uleb128 0xb
	.byte	0
	.byte	0
	.uleb128 0x1e
	.uleb128 0x16
	.byte	0
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x49
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x1f
	.uleb128 0x21
	.byte	0
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x2f
	.uleb128 0xb
	.byte	0
	.byte	0
	.uleb128 0x20
	.uleb128 0x16
	.byte	0
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0x5
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x49
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x21
	.uleb128 0x15
	.byte	0x1
	.uleb128 0x27
	.uleb128 0x19
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x22
	.uleb128 0x26
	.byte	0
	.byte	0
	.byte	0
	.uleb128 0x23
	.uleb128 0x13
	.byte	0x1
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0xb
	.uleb128 0xb
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x24
	.uleb128 0xd
	.byte	0
	.uleb128 0x3
	.uleb128 0x8
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x38
	.uleb128 0xb
	.byte	0
	.byte	0
	.uleb128 0x25
	.uleb128 0x21
	.byte	0
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x2f
	.uleb128 0x5
	.byte	0
	.byte	0
	.uleb128 0x26
	.uleb128 0x34
	.byte	0
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x2
	.uleb128 0x18
	.byte	0
	.byte	0
	.uleb128 0x27
	.uleb128 0x2e
	.byte	0x1
	.uleb128 0x3f
	.uleb128 0x19
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x27
	.uleb128 0x19
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x11
	.uleb128 0x1
	.uleb128 0x12
	.uleb128 0x7
	.uleb128 0x40
	.uleb128 0x18
	.uleb128 0x7a
	.uleb128 0x19
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x28
	.uleb128 0x34
	.byte	0
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x49
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x29
	.uleb128 0x34
	.byte	0
	.uleb128 0x3
	.uleb128 0x8
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x2
	.uleb128 0x18
	.byte	0
	.byte	0
	.uleb128 0x2a
	.uleb128 0x34
	.byte	0
	.uleb128 0x31
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x2b
	.uleb128 0xb
	.byte	0x1
	.uleb128 0x31
	.uleb128 0x13
	.uleb128 0x11
	.uleb128 0x1
	.uleb128 0x12
	.uleb128 0x7
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x2c
	.uleb128 0x2e
	.byte	0x1
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x27
	.uleb128 0x19
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x11
	.uleb128 0x1
	.uleb128 0x12
	.uleb128 0x7
	.uleb128 0x40
	.uleb128 0x18
	.uleb128 0x7a
	.uleb128 0x19
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x2d
	.uleb128 0x48
	.byte	0
	.uleb128 0x7d
	.uleb128 0x1
	.uleb128 0x82
	.uleb128 0x19
	.uleb128 0x7f
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x2e
	.uleb128 0x2e
	.byte	0x1
	.uleb128 0x3
	.uleb128 0x8
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x27
	.uleb128 0x19
	.uleb128 0x20
	.uleb128 0xb
	.uleb128 0x1
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x2f
	.uleb128 0x5
	.byte	0
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x49
	.uleb128 0x13
	.byte	0
	.byte	0
	.uleb128 0x30
	.uleb128 0xb
	.byte	0x1
	.byte	0
	.byte	0
	.uleb128 0x31
	.uleb128 0x2e
	.byte	0x1
	.uleb128 0x3
	.uleb128 0xe
	.uleb128 0x3a
	.uleb128 0xb
	.uleb128 0x3b
	.uleb128 0xb
	.uleb128 0x39
	.uleb128 0xb
	.uleb128 0x27
	.uleb128 0x19
	.uleb128 0x49
	.uleb128 0x13
	.uleb128 0x20
	.uleb128 0xb
	.byte	0
	.byte	0
	.byte	0
	.section	.debug_loclists,"",@progbits
	.long	.Ldebug_loc3-.Ldebug_loc2
.Ldebug_loc2:
	.value	0x5
	.byte	0x8
	.byte	0
	.long	0
.Ldebug_loc0:
.LVUS4:
	.uleb128 .LVU17
	.uleb128 .LVU25
	.uleb128 .LVU25
	.uleb128 .LVU29
	.uleb128 .LVU30
	.uleb128 .LVU73
	.uleb128 .LVU150
	.uleb128 .LVU165
.LLST4:
	.byte	0x6
	.quad	.LVL6
	.byte	0x4
	.uleb128 .LVL6-.LVL6
	.uleb128 .LVL7-.LVL6
	.uleb128 0x2
	.byte	0x31
	.byte	0x9f
	.byte	0x4
	.uleb128 .LVL7-.LVL6
	.uleb128 .LVL8-.LVL6
	.uleb128 0x1
	.byte	0x5c
	.byte	0x4
	.uleb128 .LVL9-.LVL6
	.uleb128 .LVL22-.LVL6
	.uleb128 0x1
	.byte	0x5c
	.byte	0x4
	.uleb128 .LVL48-.LVL6
	.uleb128 .LVL53-.LVL6
	.uleb128 0x1
	.byte	0x5c
	.byte	0
.LVUS5:
	.uleb128 .LVU76
	.uleb128 .LVU138
	.uleb128 .LVU165
	.uleb128 0
.LLST5:
	.byte	0x6
	.quad	.LVL23
	.byte	0x4
	.uleb128 .LVL23-.LVL23
	.uleb128 .LVL43-.LVL23
	.uleb128 0x1
	.byte	0x53
	.byte	0x4
	.uleb128 .LVL53-.LVL23
	.uleb128 .LFE25-.LVL23
	.uleb128 0x1
	.byte	0x53
	.byte	0
.LVUS6:
	.uleb128 .LVU95
	.uleb128 .LVU99
	.uleb128 .LVU99
	.uleb128 .LVU149
	.uleb128 .LVU165
	.uleb128 0
.LLST6:
	.byte	0x6
	.quad	.LVL30
	.byte	0x4
	.uleb128 .LVL30-.LVL30
	.uleb128 .LVL30-.LVL30
	.uleb128 0x1
	.byte	0x50
	.byte	0x4
	.uleb128 .LVL30-.LVL30
	.uleb128 .LVL47-.LVL30
	.uleb128 0x1
	.byte	0x56
	.byte	0x4
	.uleb128 .LVL53-.LVL30
	.uleb128 .LFE25-.LVL30
	.uleb128 0x1
	.byte	0x56
	.byte	0
.LVUS7:
	.uleb128 .LVU96
	.uleb128 .LVU99
	.uleb128 .LVU99
	.uleb128 .LVU114
.LLST7:
	.byte	0x6
	.quad	.LVL30
	.byte	0x4
	.uleb128 .LVL30-.LVL30
	.uleb128 .LVL30-.LVL30
	.uleb128 0x2
	.byte	0x30
	.byte	0x9f
	.byte	0x4
	.uleb128 .LVL30-.LVL30
	.uleb128 .LVL36-.LVL30
	.uleb128 0x1
	.byte	0x51
	.byte	0
.LVUS8:
	.uleb128 .LVU116
	.uleb128 .LVU121
	.uleb128 .LVU121
	.uleb128 .LVU131
	.uleb128 .LVU165
	.uleb128 .LVU167
	.uleb128 .LVU167
	.uleb128 .LVU168
.LLST8:
	.byte	0x6
	.quad	.LVL37
	.byte	0x4
	.uleb128 .LVL37-.LVL37
	.uleb128 .LVL39-.LVL37
	.uleb128 0xa
	.byte	0x9e
	.uleb128 0x8
	.long	0
	.long	0
	.byte	0x4
	.uleb128 .LVL39-.LVL37
	.uleb128 .LVL41-.LVL37
	.uleb128 0x1
	.byte	0x62
	.byte	0x4
	.uleb128 .LVL53-.LVL37
	.uleb128 .LVL54-.LVL37
	.uleb128 0xa
	.byte	0x9e
	.uleb128 0x8
	.long	0
	.long	0
	.byte	0x4
	.uleb128 .LVL54-.LVL37
	.uleb128 .LVL55-1-.LVL37
	.uleb128 0x1
	.byte	0x62
	.byte	0
.LVUS10:
	.uleb128 .LVU20
	.uleb128 .LVU25
.LLST10:
	.byte	0x8
	.quad	.LVL6
	.uleb128 .LVL7-.LVL6
	.uleb128 0x2
	.byte	0x30
	.byte	0x9f
	.byte	0
.LVUS12:
	.uleb128 .LVU41
	.uleb128 .LVU49
	.uleb128 .LVU49
	.uleb128 .LVU70
	.uleb128 .LVU150
	.uleb128 .LVU164
	.uleb128 .LVU164
	.uleb128 .LVU165
.LLST12:
	.byte	0x6
	.quad	.LVL11
	.byte	0x4
	.uleb128 .LVL11-.LVL11
	.uleb128 .LVL12-.LVL11
	.uleb128 0x1
	.byte	0x52
	.byte	0x4
	.uleb128 .LVL12-.LVL11
	.uleb128 .LVL21-.LVL11
	.uleb128 0x1
	.byte	0x5d
	.byte	0x4
	.uleb128 .LVL48-.LVL11
	.uleb128 .LVL52-.LVL11
	.uleb128 0x1
	.byte	0x5d
	.byte	0x4
	.uleb128 .LVL52-.LVL11
	.uleb128 .LVL53-.LVL11
	.uleb128 0x1
	.byte	0x52
	.byte	0
.LVUS13:
	.uleb128 .LVU41
	.uleb128 .LVU70
	.uleb128 .LVU150
	.uleb128 .LVU165
.LLST13:
	.byte	0x6
	.quad	.LVL11
	.byte	0x4
	.uleb128 .LVL11-.LVL11
	.uleb128 .LVL21-.LVL11
	.uleb128 0x1
	.byte	0x56
	.byte	0x4
	.uleb128 .LVL48-.LVL11
	.uleb128 .LVL53-.LVL11
	.uleb128 0x1
	.byte	0x56
	.byte	0
.LVUS14:
	.uleb128 .LVU154
	.uleb128 .LVU156
	.uleb128 .LVU156
	.uleb128 .LVU164
.LLST14:
	.byte	0x6
	.quad	.LVL50
	.byte	0x4
	.uleb128 .LVL50-.LVL50
	.uleb128 .LVL51-1-.LVL50
	.uleb128 0x1
	.byte	0x50
	.byte	0x4
	.uleb128 .LVL51-1-.LVL50
	.uleb128 .LVL52-.LVL50
	.uleb128 0x3
	.byte	0x91
	.sleb128 -112
	.byte	0
.LVUS16:
	.uleb128 .LVU43
	.uleb128 .LVU49
	.uleb128 .LVU49
	.uleb128 .LVU56
	.uleb128 .LVU164
	.uleb128 .LVU165
.LLST16:
	.byte	0x6
	.quad	.LVL11
	.byte	0x4
	.uleb128 .LVL11-.LVL11
	.uleb128 .LVL12-.LVL11
	.uleb128 0x1
	.byte	0x56
	.byte	0x4
	.uleb128 .LVL12-.LVL11
	.uleb128 .LVL16-.LVL11
	.uleb128 0x1
	.byte	0x51
	.byte	0x4
	.uleb128 .LVL52-.LVL11
	.uleb128 .LVL53-.LVL11
	.uleb128 0x1
	.byte	0x56
	.byte	0
.LVUS17:
	.uleb128 .LVU45
	.uleb128 .LVU49
	.uleb128 .LVU49
	.uleb128 .LVU53
	.uleb128 .LVU54
	.uleb128 .LVU56
	.uleb128 .LVU164
	.uleb128 .LVU165
.LLST17:
	.byte	0x6
	.quad	.LVL11
	.byte	0x4
	.uleb128 .LVL11-.LVL11
	.uleb128 .LVL12-.LVL11
	.uleb128 0x4
	.byte	0xa
	.value	0x1505
	.byte	0x9f
	.byte	0x4
	.uleb128 .LVL12-.LVL11
	.uleb128 .LVL14-.LVL11
	.uleb128 0x1
	.byte	0x53
	.byte	0x4
	.uleb128 .LVL15-.LVL11
	.uleb128 .LVL16-.LVL11
	.uleb128 0x1
	.byte	0x53
	.byte	0x4
	.uleb128 .LVL52-.LVL11
	.uleb128 .LVL53-.LVL11
	.uleb128 0x4
	.byte	0xa
	.value	0x1505
	.byte	0x9f
	.byte	0
.LVUS18:
	.uleb128 .LVU60
	.uleb128 .LVU62
	.uleb128 .LVU62
	.uleb128 .LVU70
.LLST18:
	.byte	0x6
	.quad	.LVL17
	.byte	0x4
	.uleb128 .LVL17-.LVL17
	.uleb128 .LVL18-.LVL17
	.uleb128 0x1
	.byte	0x5e
	.byte	0x4
	.uleb128 .LVL18-.LVL17
	.uleb128 .LVL21-.LVL17
	.uleb128 0x1
	.byte	0x5f
	.byte	0
.LVUS19:
	.uleb128 .LVU76
	.uleb128 .LVU88
	.uleb128 .LVU88
	.uleb128 .LVU89
	.uleb128 .LVU89
	.uleb128 .LVU93
.LLST19:
	.byte	0x6
	.quad	.LVL23
	.byte	0x4
	.uleb128 .LVL23-.LVL23
	.uleb128 .LVL27-.LVL23
	.uleb128 0xf
	.byte	0x71
	.sleb128 0
	.byte	0x3
	.quad	buckets
	.byte	0x1c
	.byte	0x33
	.byte	0x25
	.byte	0x9f
	.byte	0x4
	.uleb128 .LVL27-.LVL23
	.uleb128 .LVL28-.LVL23
	.uleb128 0x11
	.byte	0x71
	.sleb128 0
	.byte	0x3
	.quad	buckets
	.byte	0x1c
	.byte	0x33
	.byte	0x25
	.byte	0x23
	.uleb128 0x1
	.byte	0x9f
	.byte	0x4
	.uleb128 .LVL28-.LVL23
	.uleb128 .LVL29-1-.LVL23
	.uleb128 0x11
	.byte	0x71
	.sleb128 0
	.byte	0x3
	.quad	buckets+8
	.byte	0x1c
	.byte	0x33
	.byte	0x25
	.byte	0x23
	.uleb128 0x1
	.byte	0x9f
	.byte	0
.LVUS20:
	.uleb128 .LVU80
	.uleb128 .LVU83
	.uleb128 .LVU85
	.uleb128 .LVU93
.LLST20:
	.byte	0x6
	.quad	.LVL24
	.byte	0x4
	.uleb128 .LVL24-.LVL24
	.uleb128 .LVL25-.LVL24
	.uleb128 0x1
	.byte	0x50
	.byte	0x4
	.uleb128 .LVL26-.LVL24
	.uleb128 .LVL29-1-.LVL24
	.uleb128 0x1
	.byte	0x50
	.byte	0
.LVUS21:
	.uleb128 .LVU98
	.uleb128 .LVU99
	.uleb128 .LVU99
	.uleb128 .LVU110
	.uleb128 .LVU110
	.uleb128 .LVU111
	.uleb128 .LVU111
	.uleb128 .LVU119
	.uleb128 .LVU165
	.uleb128 .LVU167
.LLST21:
	.byte	0x6
	.quad	.LVL30
	.byte	0x4
	.uleb128 .LVL30-.LVL30
	.uleb128 .LVL30-.LVL30
	.uleb128 0x2
	.byte	0x30
	.byte	0x9f
	.byte	0x4
	.uleb128 .LVL30-.LVL30
	.uleb128 .LVL34-.LVL30
	.uleb128 0xf
	.byte	0x7c
	.sleb128 0
	.byte	0x3
	.quad	buckets
	.byte	0x1c
	.byte	0x33
	.byte	0x25
	.byte	0x9f
	.byte	0x4
	.uleb128 .LVL34-.LVL30
	.uleb128 .LVL35-.LVL30
	.uleb128 0x11
	.byte	0x7c
	.sleb128 0
	.byte	0x3
	.quad	buckets
	.byte	0x1c
	.byte	0x33
	.byte	0x25
	.byte	0x23
	.uleb128 0x1
	.byte	0x9f
	.byte	0x4
	.uleb128 .LVL35-.LVL30
	.uleb128 .LVL38-.LVL30
	.uleb128 0x11
	.byte	0x7c
	.sleb128 0
	.byte	0x3
	.quad	buckets+8
	.byte	0x1c
	.byte	0x33
	.byte	0x25
	.byte	0x23
	.uleb128 0x1
	.byte	0x9f
	.byte	0x4
	.uleb128 .LVL53-.LVL30
	.uleb128 .LVL54-.LVL30
	.uleb128 0x11
	.byte	0x7c
	.sleb128 0
	.byte	0x3
	.quad	buckets+8
	.byte	0x1c
	.byte	0x33
	.byte	0x25
	.byte	0x23
	.uleb128 0x1
	.byte	0x9f
	.byte	0
.LVUS22:
	.uleb128 .LVU102
	.uleb128 .LVU115
.LLST22:
	.byte	0x8
	.quad	.LVL31
	.uleb128 .LVL37-1-.LVL31
	.uleb128 0x1
	.byte	0x50
	.byte	0
.LVUS24:
	.uleb128 .LVU118
	.uleb128 .LVU121
	.uleb128 .LVU165
	.uleb128 .LVU167
.LLST24:
	.byte	0x6
	.quad	.LVL37
	.byte	0x4
	.uleb128 .LVL37-.LVL37
	.uleb128 .LVL39-.LVL37
	.uleb128 0x2
	.byte	0x30
	.byte	0x9f
	.byte	0x4
	.uleb128 .LVL53-.LVL37
	.uleb128 .LVL54-.LVL37
	.uleb128 0x2
	.byte	0x30
	.byte	0x9f
	.byte	0
.LVUS26:
	.uleb128 .LVU136
	.uleb128 .LVU138
	.uleb128 .LVU173
	.uleb128 0
.LLST26:
	.byte	0x6
	.quad	.LVL42
	.byte	0x4
	.uleb128 .LVL42-.LVL42
	.uleb128 .LVL43-.LVL42
	.uleb128 0x2
	.byte	0x30
	.byte	0x9f
	.byte	0x4
	.uleb128 .LVL56-.LVL42
	.uleb128 .LFE25-.LVL42
	.uleb128 0x2
	.byte	0x30
	.byte	0x9f
	.byte	0
.LVUS0:
	.uleb128 0
	.uleb128 .LVU9
	.uleb128 .LVU9
	.uleb128 .LVU10
	.uleb128 .LVU10
	.uleb128 0
.LLST0:
	.byte	0x6
	.quad	.LVL0
	.byte	0x4
	.uleb128 .LVL0-.LVL0
	.uleb128 .LVL3-.LVL0
	.uleb128 0x1
	.byte	0x55
	.byte	0x4
	.uleb128 .LVL3-.LVL0
	.uleb128 .LVL4-.LVL0
	.uleb128 0x4
	.byte	0xa3
	.uleb128 0x1
	.byte	0x55
	.byte	0x9f
	.byte	0x4
	.uleb128 .LVL4-.LVL0
	.uleb128 .LFE24-.LVL0
	.uleb128 0x1
	.byte	0x55
	.byte	0
.LVUS1:
	.uleb128 0
	.uleb128 .LVU8
	.uleb128 .LVU8
	.uleb128 .LVU10
	.uleb128 .LVU10
	.uleb128 0
.LLST1:
	.byte	0x6
	.quad	.LVL0
	.byte	0x4
	.uleb128 .LVL0-.LVL0
	.uleb128 .LVL2-.LVL0
	.uleb128 0x1
	.byte	0x54
	.byte	0x4
	.uleb128 .LVL2-.LVL0
	.uleb128 .LVL4-.LVL0
	.uleb128 0x4
	.byte	0xa3
	.uleb128 0x1
	.byte	0x54
	.byte	0x9f
	.byte	0x4
	.uleb128 .LVL4-.LVL0
	.uleb128 .LFE24-.LVL0
	.uleb128 0x1
	.byte	0x54
	.byte	0
.LVUS2:
	.uleb128 .LVU4
	.uleb128 .LVU10
	.uleb128 .LVU10
	.uleb128 .LVU12
	.uleb128 .LVU12
	.uleb128 0
.LLST2:
	.byte	0x6
	.quad	.LVL1
	.byte	0x4
	.uleb128 .LVL1-.LVL1
	.uleb128 .LVL4-1-.LVL1
	.uleb128 0x1
	.byte	0x50
	.byte	0x4
	.uleb128 .LVL4-.LVL1
	.uleb128 .LVL5-.LVL1
	.uleb128 0x1
	.byte	0x50
	.byte	0x4
	.uleb128 .LVL5-.LVL1
	.uleb128 .LFE24-.LVL1
	.uleb128 0x2
	.byte	0x75
	.sleb128 0
	.byte	0
.LVUS3:
	.uleb128 .LVU4
	.uleb128 .LVU10
	.uleb128 .LVU10
	.uleb128 0
.LLST3:
	.byte	0x6
	.quad	.LVL1
	.byte	0x4
	.uleb128 .LVL1-.LVL1
	.uleb128 .LVL4-1-.LVL1
	.uleb128 0x1
	.byte	0x51
	.byte	0x4
	.uleb128 .LVL4-.LVL1
	.uleb128 .LFE24-.LVL1
	.uleb128 0x1
	.byte	0x51
	.byte	0
.Ldebug_loc3:
	.section	.debug_aranges,"",@progbits
	.long	0x3c
	.value	0x2
	.long	.Ldebug_info0
	.byte	0x8
	.byte	0
	.value	0
	.value	0
	.quad	.Ltext0
	.quad	.Letext0-.Ltext0
	.quad	.LFB25
	.quad	.LFE25-.LFB25
	.quad	0
	.quad	0
	.section	.debug_rnglists,"",@progbits
.Ldebug_ranges0:
	.long	.Ldebug_ranges3-.Ldebug_ranges2
.Ldebug_ranges2:
	.value	0x5
	.byte	0x8
	.byte	0
	.long	0
.LLRL9:
	.byte	0x5
	.quad	.LBB17
	.byte	0x4
	.uleb128 .LBB17-.LBB17
	.uleb128 .LBE17-.LBB17
	.byte	0x4
	.uleb128 .LBB33-.LBB17
	.uleb128 .LBE33-.LBB17
	.byte	0x4
	.uleb128 .LBB34-.LBB17
	.uleb128 .LBE34-.LBB17
	.byte	0x4
	.uleb128 .LBB42-.LBB17
	.uleb128 .LBE42-.LBB17
	.byte	0
.LLRL11:
	.byte	0x5
	.quad	.LBB18
	.byte	0x4
	.uleb128 .LBB18-.LBB18
	.uleb128 .LBE18-.LBB18
	.byte	0x4
	.uleb128 .LBB31-.LBB18
	.uleb128 .LBE31-.LBB18
	.byte	0x4
	.uleb128 .LBB32-.LBB18
	.uleb128 .LBE32-.LBB18
	.byte	0
.LLRL15:
	.byte	0x5
	.quad	.LBB20
	.byte	0x4
	.uleb128 .LBB20-.LBB20
	.uleb128 .LBE20-.LBB20
	.byte	0x4
	.uleb128 .LBB25-.LBB20
	.uleb128 .LBE25-.LBB20
	.byte	0x4
	.uleb128 .LBB26-.LBB20
	.uleb128 .LBE26-.LBB20
	.byte	0x4
	.uleb128 .LBB28-.LBB20
	.uleb128 .LBE28-.LBB20
	.byte	0
.LLRL23:
	.byte	0x5
	.quad	.LBB39
	.byte	0x4
	.uleb128 .LBB39-.LBB39
	.uleb128 .LBE39-.LBB39
	.byte	0x4
	.uleb128 .LBB40-.LBB39
	.uleb128 .LBE40-.LBB39
	.byte	0
.LLRL25:
	.byte	0x5
	.quad	.LBB41
	.byte	0x4
	.uleb128 .LBB41-.LBB41
	.uleb128 .LBE41-.LBB41
	.byte	0x4
	.uleb128 .LBB43-.LBB41
	.uleb128 .LBE43-.LBB41
	.byte	0
.LLRL27:
	.byte	0x7
	.quad	.Ltext0
	.uleb128 .Letext0-.Ltext0
	.byte	0x7
	.quad	.LFB25
	.uleb128 .LFE25-.LFB25
	.byte	0
.Ldebug_ranges3:
	.section	.debug_line,"",@progbits
.Ldebug_line0:
	.section	.debug_str,"MS",@progbits,1
.LASF14:
	.string	"size_t"
.LASF17:
	.string	"next"
.LASF16:
	.string	"value"
.LASF25:
	.string	"snprintf"
.LASF32:
	.string	"entry"
.LASF18:
	.string	"strdup"
.LASF10:
	.string	"float"
.LASF23:
	.string	"qsort"
.LASF28:
	.string	"norm"
.LASF2:
	.string	"unsigned char"
.LASF5:
	.string	"long unsigned int"
.LASF3:
	.string	"short unsigned int"
.LASF11:
	.string	"double"
.LASF30:
	.string	"hash"
.LASF31:
	.string	"GNU C17 12.2.0 -mtune=generic -march=x86-64 -g -O2 -fasynchronous-unwind-tables"
.LASF4:
	.string	"unsigned int"
.LASF13:
	.string	"long long unsigned int"
.LASF29:
	.string	"unused_on_purpose"
.LASF19:
	.string	"strcmp"
.LASF22:
	.string	"free"
.LASF12:
	.string	"long long int"
.LASF15:
	.string	"__compar_fn_t"
.LASF9:
	.string	"char"
.LASF26:
	.string	"buckets"
.LASF34:
	.string	"cmp_entry"
.LASF20:
	.string	"printf"
.LASF7:
	.string	"short int"
.LASF33:
	.string	"main"
.LASF27:
	.string	"seed"
.LASF8:
	.string	"long int"
.LASF6:
	.string	"signed char"
.LASF24:
	.string	"malloc"
.LASF21:
	.string	"sqrt"
	.section	.debug_line_str,"MS",@progbits,1
.LASF1:
	.string	"/work/main"
.LASF0:
	.string	"/work/main/tests/real/sample.c"
	.ident	"GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
